package dev.mlpipe.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.mlpipe.load.ValueSource;
import dev.mlpipe.model.Result;
import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.observe.PipelineMetrics;
import dev.mlpipe.queue.Expired;
import dev.mlpipe.queue.Failed;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.Overflow;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/**
 * A run's counts, its workers and the shared meters agree whenever its lock is free, however its items come back: a
 * result held back behind an earlier item goes out, and is counted everywhere, when that item does.
 */
class RunTest {

    private static final String ID = "0000000000ab";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PipelineActivity activity = new PipelineActivity(10, 1);
    private final PipelineMetrics metrics = new PipelineMetrics(registry);
    private final Run run = new Run(ID, 1, new RunSpec(new ValueSource.ListedItems(new int[] { 5, 6 }),
            OptionalInt.empty(), 2, 0, 0, Overflow.BLOCK, 3, 1), activity, metrics,
            new History(ID, 100, new HistoryBudget(1 << 20), String::valueOf, new AtomicInteger()), ended -> {
            });

    private static Result resultOf(Item item) {
        long at = item.enqueuedUs();
        return new Result(item.runId(), item.seq(), item.value(), "low", 0.5, item.queueDepth(), item.loadedUs(), at,
                at + 10, at + 10, at + 20, "gpu-box-1", 7, 1);
    }

    /** The item as it entered the queue, a millisecond after it was drawn. */
    private static Item entering(Item drawn, int depth) {
        return drawn.enqueued(drawn.loadedUs() + 1_000, depth);
    }

    /** The run's two items, drawn and in the queue. */
    private List<Item> drawAndEnterTwo() {
        List<Item> queued = List.of(entering(run.draw(5), 1), entering(run.draw(6), 2));
        queued.forEach(run::entered);
        return queued;
    }

    private double processedInTheMeters() {
        return inTheMeters("processed");
    }

    private double inTheMeters(String outcome) {
        Matcher m = Pattern.compile("^mlpipe_items_total\\{model=\"simulated\",outcome=\"" + outcome + "\",} (\\S+)$",
                Pattern.MULTILINE).matcher(registry.scrape());
        assertThat(m.find()).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /** What a lossless reader from the start reads of the run: each row's kind and seq, with a failed one's reason. */
    private List<String> readAll() {
        List<String> rows = new java.util.ArrayList<>();
        History.Reader reader = run.history().reader(History.Mode.LOSSLESS, 0, () -> {
        }).open();
        reader.read(new History.Events() {
            @Override
            public void result(ResultRow row) {
                rows.add(row.failed() ? "failed " + row.seq() + ": " + row.failureReason()
                        : row.expired() ? "expired " + row.seq() : "result " + row.seq());
            }

            @Override
            public void gap(String json) {
                rows.add("gap");
            }

            @Override
            public void end(long id, String json) {
                rows.add("end " + id);
            }

            @Override
            public void stats(String json) {
            }
        }, 100);
        return rows;
    }

    @Test
    void aResultHeldBackBehindAnItemThatExpiresIsCountedWhenItGoesOut() {
        List<Item> queued = drawAndEnterTwo();
        Item first = queued.get(0);
        Item second = queued.get(1);
        run.loaderFinished();

        run.record(List.of(resultOf(second)), 0, 1); // seq 2 is back first: it waits for seq 1
        assertThat(run.view().counts().processed()).isZero();
        assertThat(run.view().workers()).isEmpty();
        assertThat(processedInTheMeters()).isZero();

        run.expired(new Expired(first, first.enqueuedUs() + 2_000)); // seq 1 left the queue unrun: seq 2 goes out behind it
        RunView view = run.view();
        assertThat(view.state()).isEqualTo(RunState.COMPLETED);
        assertThat(view.counts().expired()).isEqualTo(1);
        assertThat(view.counts().processed()).isEqualTo(1);
        assertThat(view.workers()).containsExactlyEntriesOf(Map.of("gpu-box-1", 1L));
        assertThat(processedInTheMeters()).isEqualTo(1);
    }

    @Test
    void resultsInOrderAreCountedByTheirWorkersAtOnce() {
        List<Item> queued = drawAndEnterTwo();
        Item first = queued.get(0);
        Item second = queued.get(1);

        run.record(List.of(resultOf(first), resultOf(second)), 0, 1); // one of the burst is this run's so far
        assertThat(run.view().workers()).containsExactlyEntriesOf(Map.of("gpu-box-1", 1L));
        assertThat(processedInTheMeters()).isEqualTo(1);

        run.record(List.of(resultOf(second)), 0, 1);
        assertThat(run.view().workers()).containsExactlyEntriesOf(Map.of("gpu-box-1", 2L));
        assertThat(run.view().stats().totalMs().p50()).as("loaded to finished: 1,020 us").isEqualTo(1.02);
        assertThat(processedInTheMeters()).isEqualTo(2);
    }

    @Test
    void itsReadersAreToldOfItsResultsAndItsEndOutsideItsLock() {
        List<Boolean> underTheLock = new CopyOnWriteArrayList<>();
        run.history().reader(History.Mode.LOSSLESS, 0, () -> underTheLock.add(Thread.holdsLock(run))).open();
        List<Item> queued = drawAndEnterTwo();
        run.loaderFinished();

        run.record(List.of(resultOf(queued.get(0)), resultOf(queued.get(1))), 0, 2);

        assertThat(run.view().state()).isEqualTo(RunState.COMPLETED);
        assertThat(underTheLock).as("told of the results and the end").isNotEmpty().doesNotContain(true);
    }

    @Test
    void anItemThatFailsTakesItsPlaceWithItsReasonAndTheRunGoesOn() {
        List<Item> queued = drawAndEnterTwo();
        Item first = queued.get(0);
        Item second = queued.get(1);
        run.loaderFinished();

        run.record(List.of(resultOf(second)), 0, 1); // seq 2 is back first: it waits for seq 1
        assertThat(run.view().counts().processed()).isZero();

        run.failed(new Failed(first, first.enqueuedUs() + 3_000, "row 1: column f3 is 'x', not a number"));
        RunView view = run.view();
        assertThat(view.state()).as("a failed item does not fail its run").isEqualTo(RunState.COMPLETED);
        assertThat(view.counts().failed()).isEqualTo(1);
        assertThat(view.counts().processed()).isEqualTo(1);
        assertThat(view.counts().loaded()).as("loaded = processed + failed + dropped + cancelled + expired")
                .isEqualTo(view.counts().processed() + view.counts().failed() + view.counts().dropped()
                        + view.counts().cancelled() + view.counts().expired());
        assertThat(inTheMeters("failed")).isEqualTo(1);
        assertThat(processedInTheMeters()).isEqualTo(1);
        assertThat(readAll()).containsExactly("failed 1: row 1: column f3 is 'x', not a number", "result 2", "end 3");
    }

    @Test
    void aSecondWordOfTheSameItemIsIgnored() {
        List<Item> queued = drawAndEnterTwo();
        Item first = queued.get(0);

        run.failed(new Failed(first, first.enqueuedUs() + 3_000, "first"));
        run.failed(new Failed(first, first.enqueuedUs() + 4_000, "again")); // a broker may deliver twice
        run.record(List.of(resultOf(first)), 0, 1);

        assertThat(run.view().counts().failed()).isEqualTo(1);
        assertThat(run.view().counts().processed()).isZero();
    }
}
