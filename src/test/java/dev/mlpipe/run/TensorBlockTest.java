package dev.mlpipe.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.mlpipe.load.ValueSource;
import dev.mlpipe.model.ResultBlock;
import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.observe.PipelineMetrics;
import dev.mlpipe.observe.RunStats;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.Overflow;
import dev.mlpipe.queue.TensorRow;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/**
 * A tensor batch recorded as a block, from its columns: its rows leave in load order with their predictions, labels and
 * outputs, counted as results, whichever batch comes back first.
 */
class TensorBlockTest {

    private static final String ID = "0000000000ac";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Run run = new Run(ID, 1, new RunSpec(new ValueSource.ListedItems(new int[] { 0, 0, 0 }),
            OptionalInt.empty(), 3, 0, 0, Overflow.BLOCK, 3, 1), new PipelineActivity(10, 1),
            new PipelineMetrics(registry),
            new History(ID, 100, new HistoryBudget(1 << 20), String::valueOf, new AtomicInteger(), 64), ended -> {
            });

    private Item entered(long row, String label) {
        Item item = run.draw(new TensorRow.Values(row, new float[] { row }, label));
        item = item.enqueued(item.loadedUs() + 1_000, 1);
        run.entered(item);
        return item;
    }

    /** A batch of these items, each predicted {@code classes[i]} with score 0.9. */
    private static ResultBlock block(List<Item> items, long batchId, int... classes) {
        int n = items.size();
        float[][] outputs = new float[n][];
        float[] scores = new float[n];
        int[] fed = new int[n];
        for (int i = 0; i < n; i++) {
            fed[i] = i;
            outputs[i] = new float[] { 0.1f, 0.9f };
            scores[i] = 0.9f;
        }
        long at = items.get(0).enqueuedUs();
        return new ResultBlock(items, fed, n, outputs, classes, scores, null, at + 10, at + 20, at + 30, "w", batchId);
    }

    /** A batch of these items, each predicted class 0 with score 0.5, with these output rows. */
    private static ResultBlock block(List<Item> items, long batchId, float[]... outputs) {
        int n = items.size();
        int[] fed = new int[n];
        for (int i = 0; i < n; i++) {
            fed[i] = i;
        }
        long at = items.get(0).enqueuedUs();
        return new ResultBlock(items, fed, n, outputs, new int[n], new float[n], null, at + 10, at + 20, at + 30, "w",
                batchId);
    }

    /** Each kept result's outputs, in load order. */
    private List<float[]> keptOutputs() {
        List<float[]> outputs = new ArrayList<>();
        History.Reader reader = run.history().reader(History.Mode.LOSSLESS, 0, () -> {
        }).open();
        reader.read(new History.Events() {
            @Override
            public void result(ResultRow row) {
                outputs.add(row.outputs());
            }

            @Override
            public void gap(String json) {
            }

            @Override
            public void end(long id, String json) {
            }

            @Override
            public void stats(String json) {
            }
        }, 100);
        return outputs;
    }

    private List<String> readAll() {
        List<String> rows = new ArrayList<>();
        History.Reader reader = run.history().reader(History.Mode.LOSSLESS, 0, () -> {
        }).open();
        reader.read(new History.Events() {
            @Override
            public void result(ResultRow row) {
                rows.add(row.seq() + " row " + row.row() + " label " + row.label() + " predicted "
                        + row.prediction() + " outputs " + row.outputs().length);
            }

            @Override
            public void gap(String json) {
                rows.add("gap");
            }

            @Override
            public void end(long id, String json) {
                rows.add("end");
            }

            @Override
            public void stats(String json) {
            }
        }, 100);
        return rows;
    }

    /** The value of the one series of the scrape whose name (labels aside) is {@code name}. */
    private double scraped(String name) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "\\{[^}]*} (\\S+)$", Pattern.MULTILINE)
                .matcher(registry.scrape());
        assertThat(m.find()).as(name).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void everyRowOfABatchCountsInTheInferenceTimesOnceWhicheverWayItLeft() {
        Item first = entered(10, "1");
        Item second = entered(11, "0");
        Item third = entered(12, "1");
        Item fourth = entered(13, "1");
        run.loaderFinished();

        run.record(block(List.of(second), 2, 1), 0, 1); // held back, then released as a result of its own
        // the first releases the second as results; the third and fourth leave from the block's columns
        run.record(block(List.of(first, third, fourth), 1, 1, 1, 1), 0, 3);

        assertThat(run.view().counts().processed()).isEqualTo(4);
        assertThat(readAll()).hasSize(5);
        RunStats.Snapshot stats = run.view().stats();
        assertThat(stats.inferenceMs().p50()).as("each batch ran 10 us").isEqualTo(0.01);
        assertThat(stats.inferenceMs().max()).isEqualTo(0.01);
        assertThat(stats.queueWaitMs().p99()).as("dequeued 10 us after it entered").isEqualTo(0.01);
        assertThat(run.latency().count()).isEqualTo(4);
        assertThat(scraped("mlpipe_item_inference_seconds_count")).isEqualTo(4);
        assertThat(scraped("mlpipe_item_inference_seconds_sum")).isCloseTo(0.00004, within(1e-12));
        assertThat(scraped("mlpipe_item_queue_wait_seconds_count")).isEqualTo(4);
        assertThat(scraped("mlpipe_item_total_seconds_count")).isEqualTo(4);
    }

    @Test
    void everyKeptResultGivesBackItsOwnOutputRowWhateverItsWidth() {
        Item first = entered(10, "1");
        Item second = entered(11, "0");
        Item third = entered(12, "1");
        Item fourth = entered(13, "1");
        Item fifth = entered(14, "0");
        run.loaderFinished();
        float[] wide = new float[ResultChunk.SIDE_BY_SIDE + 1];
        wide[ResultChunk.SIDE_BY_SIDE] = 7;

        run.record(block(List.of(second), 2, new float[] { 0.2f, 0.8f }), 0, 1); // held back: kept as a result
        run.record(block(List.of(first, third), 1, new float[] { 0.1f, 0.9f }, new float[] { 0.3f, 0.7f, 0f }), 0,
                2);
        run.record(block(List.of(fourth, fifth), 3, wide, new float[] { 0.4f, 0.6f }), 0, 2);

        assertThat(keptOutputs()).containsExactly(new float[] { 0.1f, 0.9f }, new float[] { 0.2f, 0.8f },
                new float[] { 0.3f, 0.7f, 0f }, wide, new float[] { 0.4f, 0.6f });
    }

    @Test
    void outputRowsKeptSideBySideSurviveTheirChunksGrowthBesideNullAndOddRows() {
        // 40 results: a chunk starts small and grows twice, copying what it holds; the first row is null, so the
        // chunk's width is the second's, and one row in the middle is wider
        List<Item> items = new ArrayList<>();
        float[][] outputs = new float[40][];
        for (int i = 0; i < 40; i++) {
            items.add(entered(10 + i, "1"));
            outputs[i] = i == 0 ? null : i == 20 ? new float[] { i, i, i } : new float[] { i, -i };
        }
        run.loaderFinished();

        run.record(block(items.subList(0, 17), 1, Arrays.copyOfRange(outputs, 0, 17)), 0, 17);
        run.record(block(items.subList(17, 40), 2, Arrays.copyOfRange(outputs, 17, 40)), 0, 23);

        assertThat(keptOutputs()).containsExactly(outputs);
    }

    @Test
    void aBatchThatOvertookAnEarlierOneWaitsAndBothLeaveInLoadOrder() {
        Item first = entered(10, "1");
        Item second = entered(11, "0");
        Item third = entered(12, "1");
        run.loaderFinished();

        run.record(block(List.of(third), 2, 1), 0, 1);
        assertThat(run.view().counts().processed()).as("seq 3 waits for seqs 1 and 2").isZero();

        run.record(block(List.of(first, second), 1, 1, 1), 0, 2);
        RunView view = run.view();
        assertThat(view.state()).isEqualTo(RunState.COMPLETED);
        assertThat(view.counts().processed()).isEqualTo(3);
        assertThat(view.accuracy().correct()).isEqualTo(2);
        assertThat(view.accuracy().confusion()).containsEntry("0", java.util.Map.of("1", 1L));
        assertThat(readAll()).containsExactly("1 row 10 label 1 predicted 1 outputs 2",
                "2 row 11 label 0 predicted 1 outputs 2", "3 row 12 label 1 predicted 1 outputs 2", "end");
    }
}
