package dev.mlpipe.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.mlpipe.observe.OwnDepth;
import dev.mlpipe.observe.PipelineActivity;
import io.smallrye.mutiny.subscription.Cancellable;

class LocalQueueTest {

    private static final Runnable NO_WAKE = () -> {
    };

    private final PipelineActivity activity = new PipelineActivity(3, 1);

    private static Item item(String run, long seq) {
        return Item.loaded(run, seq, (int) seq, 0, 1);
    }

    /** Puts without waiting; @return the depth the item entered at, or -1 if it was refused */
    private static int offer(LocalQueue queue, Item item) {
        AtomicReference<Item> entered = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        queue.enter(item, false, e -> {
            calls.incrementAndGet();
            entered.set(e);
        });
        assertThat(calls).as("an offer settles at once, exactly once").hasValue(1);
        return entered.get() == null ? -1 : entered.get().queueDepth();
    }

    @Test
    void itemsRunOutOfRoomAtTheCapacityAndLeaveOldestFirst() {
        LocalQueue queue = new LocalQueue(3, activity, expired -> { });

        assertThat(offer(queue, item("a", 1))).isEqualTo(1);
        assertThat(offer(queue, item("a", 2))).isEqualTo(2);
        assertThat(offer(queue, item("b", 1))).isEqualTo(3);
        assertThat(offer(queue, item("a", 3))).isEqualTo(-1);
        assertThat(activity.depth()).isEqualTo(3);

        assertThat(queue.take(2, NO_WAKE)).extracting(Item::runId, Item::seq).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a", 1L), org.assertj.core.groups.Tuple.tuple("a", 2L));
        assertThat(activity.depth()).isEqualTo(1);
        assertThat(offer(queue, item("a", 3))).isEqualTo(2);
    }

    @Test
    void anItemEntersWithItsTimeInTheQueue() {
        LocalQueue queue = new LocalQueue(3, activity, expired -> { });
        AtomicReference<Item> entered = new AtomicReference<>();
        queue.enter(item("a", 1), false, entered::set);

        assertThat(entered.get().enqueuedUs()).isGreaterThanOrEqualTo(entered.get().loadedUs());
        assertThat(queue.take(5, NO_WAKE)).containsExactly(entered.get());
    }

    @Test
    void waitingLoadersGetPlacesInTheOrderTheyAskedAndNobodyOvertakesThem() {
        LocalQueue queue = new LocalQueue(1, activity, expired -> { });
        offer(queue, item("x", 1));
        List<String> granted = new ArrayList<>();
        queue.enter(item("first", 1), true, e -> granted.add("first at depth " + e.queueDepth()));
        queue.enter(item("second", 1), true, e -> granted.add("second at depth " + e.queueDepth()));
        assertThat(granted).isEmpty();
        assertThat(queue.waiting()).isEqualTo(2);

        assertThat(queue.take(1, NO_WAKE)).extracting(Item::runId).containsExactly("x");
        assertThat(granted).containsExactly("first at depth 1");
        assertThat(offer(queue, item("late", 1))).as("nobody overtakes a waiting loader").isEqualTo(-1);

        assertThat(queue.take(1, NO_WAKE)).extracting(Item::runId).containsExactly("first");
        assertThat(granted).containsExactly("first at depth 1", "second at depth 1");
    }

    /**
     * A full queue of 80 admits its waiting loader once 10 places (an eighth) are free, not at the first: the loader
     * then enters a chunk per wake-up. Meanwhile nobody takes the free places, and the depth never passes the capacity.
     */
    @Test
    void aWaitingLoaderIsAdmittedOnceAChunksWorthOfPlacesIsFree() {
        LocalQueue queue = new LocalQueue(80, activity, expired -> { });
        for (int seq = 1; seq <= 80; seq++) {
            offer(queue, item("x", seq));
        }
        List<String> granted = new ArrayList<>();
        queue.enter(item("waiting", 1), true, e -> granted.add("at depth " + e.queueDepth()));

        assertThat(queue.take(9, NO_WAKE)).hasSize(9);
        assertThat(granted).as("9 places free: not yet").isEmpty();
        assertThat(offer(queue, item("late", 1))).as("nobody overtakes a waiting loader").isEqualTo(-1);
        assertThat(queue.room()).isZero();

        assertThat(queue.take(1, NO_WAKE)).hasSize(1);
        assertThat(granted).containsExactly("at depth 71");
        assertThat(queue.room()).as("the rest of the chunk's places, for the loader to fill at once").isEqualTo(9);
        assertThat(queue.take(100, NO_WAKE)).extracting(Item::runId).endsWith("x", "waiting");
    }

    @Test
    void aLargerCapacityAdmitsAWaitingLoaderAtOnceThoughItAddsLessThanAChunk() {
        LocalQueue queue = new LocalQueue(160, activity, expired -> { });
        for (int seq = 1; seq <= 160; seq++) {
            offer(queue, item("x", seq));
        }
        List<String> granted = new ArrayList<>();
        queue.enter(item("waiting", 1), true, e -> granted.add("at depth " + e.queueDepth()));

        queue.resize(170); // 10 places more; a taken batch would need 20 free

        assertThat(granted).containsExactly("at depth 161");
    }

    @Test
    void aLoaderCancelledWhileWaitingDoesNotKeepAPlace() {
        LocalQueue queue = new LocalQueue(1, activity, expired -> { });
        offer(queue, item("x", 1));
        AtomicInteger granted = new AtomicInteger();
        Cancellable gone = queue.enter(item("gone", 1), true, e -> granted.incrementAndGet());
        queue.enter(item("stays", 1), true, e -> granted.incrementAndGet());

        gone.cancel();
        queue.take(1, NO_WAKE);

        assertThat(granted).as("only the loader still waiting got the place").hasValue(1);
        assertThat(queue.take(5, NO_WAKE)).extracting(Item::runId).containsExactly("stays");
        assertThat(queue.depth()).isZero();
    }

    /**
     * A loader cancelled just as the model frees a place: either its item enters the queue or the place stays free; a
     * place is never lost, or the queue would shrink for good and runs would stall.
     */
    @Test
    void aPlaceFreedAsItsLoaderIsCancelledIsNeverLost() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20_000; round++) {
                LocalQueue queue = new LocalQueue(1, activity, expired -> { });
                offer(queue, item("x", 1));
                AtomicInteger granted = new AtomicInteger();
                Cancellable waiting = queue.enter(item("w", 1), true, e -> granted.incrementAndGet());
                CountDownLatch go = new CountDownLatch(1);
                Future<?> model = threads.submit(() -> {
                    go.await();
                    queue.take(1, NO_WAKE);
                    return null;
                });
                Future<?> cancel = threads.submit(() -> {
                    go.await();
                    waiting.cancel();
                    return null;
                });
                go.countDown();
                model.get();
                cancel.get();

                assertThat(queue.depth()).as("round %d: items queued match the loaders given a place", round)
                        .isEqualTo(granted.get());
                assertThat(offer(queue, item("next", 1))).as("round %d: the place is free or taken, never lost", round)
                        .isEqualTo(granted.get() == 1 ? -1 : 1);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void theModelIsWokenOnceByTheNextItemWhenItFoundTheQueueEmpty() {
        LocalQueue queue = new LocalQueue(3, activity, expired -> { });
        AtomicInteger wakes = new AtomicInteger();
        assertThat(queue.take(1, wakes::incrementAndGet)).isEmpty();

        offer(queue, item("a", 1));
        offer(queue, item("a", 2));

        assertThat(wakes).hasValue(1);
        assertThat(queue.take(1, wakes::incrementAndGet)).as("items are queued: no wake-up is left").hasSize(1);
        offer(queue, item("a", 3));
        assertThat(wakes).hasValue(1);
    }

    @Test
    void anEndedRunsItemsLeaveTheQueueAndTheirPlacesGoToWaitingLoaders() {
        LocalQueue queue = new LocalQueue(3, activity, expired -> { });
        offer(queue, item("gone", 1));
        offer(queue, item("kept", 1));
        offer(queue, item("gone", 2));
        AtomicInteger granted = new AtomicInteger();
        queue.enter(item("waiting", 1), true, e -> granted.incrementAndGet());

        assertThat(queue.discard("gone")).isEqualTo(2);

        assertThat(granted).hasValue(1);
        assertThat(queue.take(5, NO_WAKE)).extracting(Item::runId).containsExactly("kept", "waiting");
    }

    @Test
    void aLargerCapacityAdmitsWaitingLoadersAtOnceInTheOrderTheyAsked() {
        LocalQueue queue = new LocalQueue(1, activity, expired -> { });
        offer(queue, item("x", 1));
        List<String> granted = new ArrayList<>();
        for (String run : List.of("first", "second", "third")) {
            queue.enter(item(run, 1), true, e -> granted.add(run + " at depth " + e.queueDepth()));
        }

        queue.resize(3);

        assertThat(granted).containsExactly("first at depth 2", "second at depth 3");
        assertThat(queue.capacity()).isEqualTo(3);
        assertThat(queue.waiting()).isEqualTo(1);
        assertThat(offer(queue, item("late", 1))).as("nobody overtakes the loader still waiting").isEqualTo(-1);
    }

    @Test
    void aSmallerCapacityRemovesNoItemAndNewOnesWaitTillTheDepthIsBelowIt() {
        LocalQueue queue = new LocalQueue(3, activity, expired -> { });
        for (int seq = 1; seq <= 3; seq++) {
            offer(queue, item("a", seq));
        }

        queue.resize(1);

        assertThat(queue.depth()).as("no item removed").isEqualTo(3);
        List<String> granted = new ArrayList<>();
        queue.enter(item("b", 1), true, e -> granted.add("b at depth " + e.queueDepth()));
        queue.take(1, NO_WAKE);
        queue.take(1, NO_WAKE);
        assertThat(granted).as("depth 1 is not below the capacity").isEmpty();
        queue.take(1, NO_WAKE);
        assertThat(granted).containsExactly("b at depth 1");
        assertThat(offer(queue, item("c", 1))).isEqualTo(-1);
    }

    /** An item leaves its run's own depth however it leaves: taken (a later level after an earlier), or discarded. */
    @Test
    void aRunsOwnDepthFollowsItsItemsInAndOutWhicheverOrderTheyLeave() {
        LocalQueue queue = new LocalQueue(6, activity, expired -> { });
        OwnDepth low = activity.openOwn("low");
        OwnDepth high = activity.openOwn("high");
        for (long seq = 1; seq <= 3; seq++) {
            offer(queue, Item.loaded("low", seq, 1, 0, 5, 0, 1));
        }
        for (long seq = 1; seq <= 2; seq++) {
            offer(queue, Item.loaded("high", seq, 1, 0, 1, 0, 1));
        }
        assertThat(activity.read(low).own().level()).isEqualTo(3);
        assertThat(activity.read(high).own().level()).isEqualTo(2);

        assertThat(queue.take(3, NO_WAKE)).extracting(Item::runId).containsExactly("high", "high", "low");
        assertThat(activity.read(high).own().level()).isZero();
        assertThat(activity.read(low).own().level()).isEqualTo(2);

        queue.discard("low");
        assertThat(activity.read(low).own()).extracting(OwnDepth.Reading::level, OwnDepth.Reading::max)
                .containsExactly(0, 3);
        assertThat(activity.read(high).own().max()).isEqualTo(2);
    }
}
