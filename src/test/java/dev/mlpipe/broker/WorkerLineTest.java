package dev.mlpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mlpipe.config.PipelineSettings;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/** A worker forms its batches by the rule of one process: what has arrived when a slot is free, or what a delay adds. */
class WorkerLineTest {

    /** A batch the line started, and its end, which the test gives when it likes. */
    record Started(List<Integer> messages, long[] takenUs, UniEmitter<? super Void> end) {
    }

    private final List<Started> started = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        deadlines.shutdownNow();
    }

    private WorkerLine<Integer> line(int concurrency, int maxBatch, Duration delay) {
        PipelineSettings.Settings settings = new PipelineSettings.Settings(10, concurrency, maxBatch, delay.toNanos());
        return new WorkerLine<>("test", () -> settings, message -> 1, (batch, takenUs) -> Uni.createFrom()
                .emitter(end -> started.add(new Started(List.copyOf(batch), takenUs, end))), deadlines);
    }

    private List<List<Integer>> batches() {
        return started.stream().map(Started::messages).toList();
    }

    @Test
    void withNoDelayAFreeSlotTakesWhatHasArrivedAtOnceAndABusyOneLetsItGather() {
        WorkerLine<Integer> line = line(1, 4, Duration.ZERO);

        line.offer(1);
        assertThat(batches()).as("a free slot starts what it finds, waiting for nothing").containsExactly(List.of(1));

        for (int m = 2; m <= 7; m++) {
            line.offer(m);
        }
        assertThat(batches()).as("the one slot is busy").hasSize(1);
        assertThat(line.waiting()).isEqualTo(6);

        started.get(0).end().complete(null);
        assertThat(batches()).as("the freed slot takes what has arrived, up to the maximum")
                .containsExactly(List.of(1), List.of(2, 3, 4, 5));
        started.get(1).end().complete(null);
        assertThat(batches()).containsExactly(List.of(1), List.of(2, 3, 4, 5), List.of(6, 7));
        assertThat(started).allSatisfy(batch -> assertThat(batch.takenUs()).as("no wait to report").isNull());
    }

    @Test
    void slotsRunBatchesSideBySideUpToTheConcurrency() {
        WorkerLine<Integer> line = line(2, 1, Duration.ZERO);

        for (int m = 1; m <= 3; m++) {
            line.offer(m);
        }

        assertThat(batches()).containsExactly(List.of(1), List.of(2));
        started.get(1).end().fail(new IllegalStateException("a failed run frees its slot too"));
        assertThat(batches()).containsExactly(List.of(1), List.of(2), List.of(3));
    }

    @Test
    void withADelayABatchThatIsNotFullHoldsItsSlotUntilItFills() {
        WorkerLine<Integer> line = line(1, 3, Duration.ofMinutes(1));

        line.offer(1);
        line.offer(2);
        assertThat(batches()).as("not full, well inside its delay").isEmpty();

        line.offer(3);
        line.offer(4);
        assertThat(batches()).as("full: it starts, and the next waits for the slot").containsExactly(List.of(1, 2, 3));
        long[] takenUs = started.get(0).takenUs();
        assertThat(takenUs[0]).as("the first was taken first").isLessThanOrEqualTo(takenUs[1]);
        assertThat(takenUs[1]).isLessThanOrEqualTo(takenUs[2]);
    }

    @Test
    void withADelayABatchStartsWhenItsDelaySinceItsFirstHasPassed() {
        WorkerLine<Integer> line = line(1, 8, Duration.ofMillis(50));

        line.offer(1);
        line.offer(2);

        await().atMost(Duration.ofSeconds(10)).until(() -> batches().size() == 1);
        assertThat(batches()).containsExactly(List.of(1, 2));
        assertThat(line.waiting()).isZero();
    }

    @Test
    void everyMessageRunsOnceInArrivalOrderWhateverThreadOffersOrEnds() throws Exception {
        PipelineSettings.Settings settings = new PipelineSettings.Settings(10, 3, 5, 0);
        List<List<Integer>> ran = new CopyOnWriteArrayList<>();
        ScheduledExecutorService enders = Executors.newScheduledThreadPool(2);
        try {
            // each batch ends on another thread, soon after it starts
            WorkerLine<Integer> line = new WorkerLine<>("test", () -> settings, message -> 1, (batch, takenUs) -> {
                ran.add(List.copyOf(batch));
                return Uni.createFrom().emitter(
                        end -> enders.schedule(() -> end.complete(null), 50, TimeUnit.MICROSECONDS));
            }, deadlines);
            Thread offering = new Thread(() -> {
                for (int m = 0; m < 5_000; m++) {
                    line.offer(m);
                }
            });
            offering.start();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> ran.stream().mapToInt(List::size).sum() == 5_000);
            offering.join();
        } finally {
            enders.shutdownNow();
        }

        assertThat(ran.stream().flatMap(List::stream).toList()).as("each once, in the order they arrived")
                .isEqualTo(IntStream.range(0, 5_000).boxed().toList());
        assertThat(ran).allSatisfy(batch -> assertThat(batch).hasSizeBetween(1, 5));
    }

    @Test
    void aMessageHoldingAFullBatchOfItemsStartsAtOnceWhateverTheDelay() {
        PipelineSettings.Settings settings = new PipelineSettings.Settings(10, 1, 8, Duration.ofMinutes(1).toNanos());
        List<List<Integer>> ran = new ArrayList<>();
        // a message is its own count of items here
        WorkerLine<Integer> line = new WorkerLine<>("test", () -> settings, items -> items, (batch, takenUs) -> {
            ran.add(List.copyOf(batch));
            return Uni.createFrom().voidItem();
        }, deadlines);

        line.offer(32);
        line.offer(3);
        assertThat(ran).as("32 items are four batches' worth: nothing to wait for").containsExactly(List.of(32));
        line.offer(5);
        assertThat(ran).as("3 and 5 items make a full batch of 8").containsExactly(List.of(32), List.of(3, 5));
    }

    @Test
    void runsThatEndAtOnceOrThrowFreeTheirSlotAndTheLineGoesOn() {
        PipelineSettings.Settings settings = new PipelineSettings.Settings(10, 1, 1, 0);
        List<Integer> ran = new ArrayList<>();
        WorkerLine<Integer> line = new WorkerLine<>("test", () -> settings, message -> 1, (batch, takenUs) -> {
            ran.add(batch.get(0));
            if (batch.get(0) % 2 == 0) {
                throw new IllegalStateException("the model threw on " + batch.get(0));
            }
            return Uni.createFrom().voidItem(); // ended before the call returned
        }, deadlines);

        for (int m = 1; m <= 6; m++) {
            line.offer(m);
        }

        assertThat(ran).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(line.waiting()).isZero();
    }

    @Test
    void aPausedLineStartsNoBatchAndHoldsWhatArrivesUntilItResumes() {
        WorkerLine<Integer> line = line(2, 4, Duration.ZERO);
        line.offer(1);
        line.pause();

        line.offer(2);
        line.offer(3);
        started.get(0).end().complete(null);
        assertThat(batches()).as("a free slot, but paused").containsExactly(List.of(1));
        assertThat(line.waiting()).isEqualTo(2);

        line.resume();
        assertThat(batches()).containsExactly(List.of(1), List.of(2, 3));
    }
}
