package dev.mlpipe.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.TensorRow;
import dev.mlpipe.queue.LocalQueue;
import dev.mlpipe.queue.Overflow;

/** The loader loop on its own: a real queue, and a run that records what the loader tells it. */
class LoaderTest {

    private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2);

    /** What the loader told its run, in order: "entered 1", "dropped 2", "refused 3", "finished". */
    static final class Recorded implements LoaderEvents {
        final List<String> told = new CopyOnWriteArrayList<>();
        final AtomicLong seq = new AtomicLong();
        final AtomicBoolean paced = new AtomicBoolean();
        final AtomicReference<Runnable> resume = new AtomicReference<>();
        /** Sizes of the chunks that entered at once. */
        final List<Integer> chunks = new CopyOnWriteArrayList<>();

        @Override
        public boolean mayLoad(Runnable whenMay) {
            if (paced.get()) {
                resume.set(whenMay);
                return false;
            }
            return true;
        }

        @Override
        public Item draw(int value) {
            return Item.loaded("0000000000aa", seq.incrementAndGet(), value, 0, 1);
        }

        @Override
        public Item draw(TensorRow row) {
            return Item.loaded("0000000000aa", seq.incrementAndGet(), row, 1, 0, 1);
        }

        @Override
        public int drawAll(TensorRow[] rows, int n, Item[] into) {
            for (int i = 0; i < n; i++) {
                into[i] = draw(rows[i]);
            }
            return n;
        }

        @Override
        public void entered(Item item) {
            told.add("entered " + item.seq());
        }

        @Override
        public int mayLoadNow(int max) {
            return paced.get() ? 0 : max;
        }

        @Override
        public int drawAll(int[] values, int n, Item[] into) {
            for (int i = 0; i < n; i++) {
                into[i] = draw(values[i]);
            }
            return n;
        }

        @Override
        public void enteredAll(Item[] items, int n) {
            if (n > 0) {
                chunks.add(n);
            }
            for (int i = 0; i < n; i++) {
                entered(items[i]);
            }
        }

        @Override
        public void dropped(Item item) {
            told.add("dropped " + item.seq());
        }

        @Override
        public void refused(Item item, String reason) {
            told.add("refused " + item.seq() + ": " + reason);
        }

        @Override
        public void loaderFinished() {
            told.add("finished");
        }

        @Override
        public void loaderFailed(String reason) {
            told.add("failed " + reason);
        }
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    private Loader loader(Recorded run, LocalQueue queue, Overflow overflow, long intervalMs, int... values) {
        return new Loader(run, new Values(new ValueSource.ListedItems(values), OptionalInt.empty(), 1_000), queue,
                overflow, intervalMs, threads);
    }

    private static LocalQueue queue(int capacity) {
        return new LocalQueue(capacity, new PipelineActivity(capacity, 1), expired -> { });
    }

    @Test
    void everyValueEntersTheQueueInOrderThenTheLoaderFinishes() {
        Recorded run = new Recorded();
        LocalQueue queue = queue(10);

        loader(run, queue, Overflow.BLOCK, 0, 5, 6, 7).start();

        await().atMost(Duration.ofSeconds(5)).until(() -> run.told.contains("finished"));
        assertThat(run.told).containsExactly("entered 1", "entered 2", "entered 3", "finished");
        assertThat(queue.take(10, () -> {
        })).extracting(Item::value).containsExactly(5, 6, 7);
    }

    @Test
    void anUnpacedLoaderEntersWhatFitsAtOnceAndWaitsForRoomForTheRest() {
        Recorded run = new Recorded();
        LocalQueue queue = queue(3);

        loader(run, queue, Overflow.BLOCK, 0, 1, 2, 3, 4, 5).start();

        await().atMost(Duration.ofSeconds(5)).until(() -> queue.waiting() == 1);
        assertThat(run.chunks).as("the room there was, in one go").containsExactly(3);
        assertThat(run.told).containsExactly("entered 1", "entered 2", "entered 3");
        assertThat(queue.take(2, () -> {
        })).extracting(Item::value).containsExactly(1, 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> run.told.contains("finished"));
        assertThat(run.told).containsExactly("entered 1", "entered 2", "entered 3", "entered 4", "entered 5", "finished");
        assertThat(queue.take(10, () -> {
        })).extracting(Item::value).containsExactly(3, 4, 5);
    }

    @Test
    void itemsOfAChunkWhoseRoomWasTakenEnterOneAtATimeInOrder() {
        Recorded run = new Recorded();
        LocalQueue queue = new LocalQueue(2, new PipelineActivity(2, 1), expired -> { }) {
            @Override
            public synchronized int room() {
                return 4; // what it had when the loader looked; another loader took two places since
            }
        };

        loader(run, queue, Overflow.BLOCK, 0, 1, 2, 3, 4).start();

        await().atMost(Duration.ofSeconds(5)).until(() -> queue.waiting() == 1);
        assertThat(run.chunks).containsExactly(2);
        assertThat(queue.take(10, () -> {
        })).extracting(Item::value).containsExactly(1, 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> run.told.contains("finished"));
        assertThat(run.told).containsExactly("entered 1", "entered 2", "entered 3", "entered 4", "finished");
        assertThat(queue.take(10, () -> {
        })).extracting(Item::value).containsExactly(3, 4);
    }

    @Test
    void withDropTheItemsOfAChunkWhoseRoomWasTakenAreDroppedThoughLaterOnesWereDrawn() {
        Recorded run = new Recorded();
        LocalQueue queue = new LocalQueue(2, new PipelineActivity(2, 1), expired -> { }) {
            @Override
            public synchronized int room() {
                return 4; // as above: two places taken since the loader looked
            }
        };

        loader(run, queue, Overflow.DROP, 0, 1, 2, 3, 4).start();

        await().atMost(Duration.ofSeconds(5)).until(() -> run.told.contains("finished"));
        // 3 is dropped while 4 is already drawn: its run must stop awaiting 3 alone (run.Reordering.forget)
        assertThat(run.told).containsExactly("entered 1", "entered 2", "dropped 3", "dropped 4", "finished");
    }

    /**
     * A loader blocked on a full queue that the model empties 8 items at a time: it is woken once a chunk's worth of
     * places is free (an eighth of 160), so it enters chunks of 19 or more, not 7 after every batch; every item still
     * enters in order, and the queue never holds more than its capacity.
     */
    @Test
    void aBlockedLoaderEntersAChunkPerWakeUpAndEveryItemInOrder() {
        Recorded run = new Recorded();
        int capacity = 160;
        LocalQueue queue = queue(capacity);
        int[] values = IntStream.rangeClosed(1, 400).toArray();

        loader(run, queue, Overflow.BLOCK, 0, values).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.waiting() == 1);
        int filling = run.chunks.size(); // the chunks that filled the empty queue

        List<Integer> taken = new ArrayList<>();
        while (taken.size() < values.length) {
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> queue.waiting() == 1 || run.told.contains("finished"));
            assertThat(queue.depth()).isLessThanOrEqualTo(capacity);
            queue.take(8, () -> {
            }).forEach(item -> taken.add(item.value()));
        }
        assertThat(taken).containsExactlyElementsOf(IntStream.of(values).boxed().toList());
        assertThat(run.chunks.subList(filling, run.chunks.size() - 1)).as("chunks after a wait, but the last")
                .isNotEmpty().allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(capacity / 8 - 1));
    }

    @Test
    void aPacedLoaderFinishesRightAfterItsLastItemNotAnIntervalLater() {
        Recorded run = new Recorded();

        loader(run, queue(10), Overflow.BLOCK, 60_000, 5).start();

        await().atMost(Duration.ofSeconds(5)).until(() -> run.told.contains("finished"));
        assertThat(run.told).containsExactly("entered 1", "finished");
    }

    @Test
    void withAFullQueueBlockWaitsForRoomDropCountsAndFailRefuses() {
        Recorded blocking = new Recorded();
        LocalQueue full = queue(1);
        loader(blocking, full, Overflow.BLOCK, 0, 1, 2).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> blocking.told.contains("entered 1"));
        assertThat(full.waiting()).as("the second item waits for room").isEqualTo(1);
        full.take(1, () -> {
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> blocking.told.contains("finished"));
        assertThat(blocking.told).containsExactly("entered 1", "entered 2", "finished");

        Recorded dropping = new Recorded();
        loader(dropping, queue(1), Overflow.DROP, 0, 1, 2, 3).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> dropping.told.contains("finished"));
        assertThat(dropping.told).containsExactly("entered 1", "dropped 2", "dropped 3", "finished");

        Recorded failing = new Recorded();
        loader(failing, queue(1), Overflow.FAIL, 0, 1, 2, 3).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> failing.told.size() == 2);
        assertThat(failing.told).containsExactly("entered 1", "refused 2: the queue was full (capacity 1) when item 2 "
                + "was loaded, and the run's overflow policy is fail");
    }

    @Test
    void aLoaderHeldByItsClientsGoesOnWhenResumed() {
        Recorded run = new Recorded();
        run.paced.set(true);

        loader(run, queue(10), Overflow.BLOCK, 0, 1, 2).start();
        await().atMost(Duration.ofSeconds(5)).until(() -> run.resume.get() != null);
        assertThat(run.told).isEmpty();

        run.paced.set(false);
        run.resume.get().run();
        await().atMost(Duration.ofSeconds(5)).until(() -> run.told.contains("finished"));
        assertThat(run.told).containsExactly("entered 1", "entered 2", "finished");
    }

    @Test
    void aLoaderCancelledWhileWaitingForRoomLoadsNothingMore() {
        Recorded run = new Recorded();
        LocalQueue full = queue(1);
        Loader loader = loader(run, full, Overflow.BLOCK, 0, 1, 2, 3);
        loader.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> full.waiting() == 1);

        loader.cancel();
        full.take(1, () -> {
        });

        assertThat(full.waiting()).isZero();
        assertThat(full.depth()).as("the waiting item gave up its turn").isZero();
        assertThat(run.told).containsExactly("entered 1");
    }
}
