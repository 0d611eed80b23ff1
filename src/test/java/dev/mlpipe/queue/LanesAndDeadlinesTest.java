package dev.mlpipe.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.mlpipe.config.Priority;
import dev.mlpipe.observe.Clock;
import dev.mlpipe.observe.OwnDepth;
import dev.mlpipe.observe.PipelineActivity;

/** The queue's lanes (a run's priority) and deadlines, as the model and the loaders meet them. */
class LanesAndDeadlinesTest {

    private static final Runnable NO_WAKE = () -> {
    };

    private final List<Expired> expired = new CopyOnWriteArrayList<>();

    private static Item item(String run, long seq, int priority, int deadlineMs) {
        return Item.loaded(run, seq, (int) seq, 0, priority, deadlineMs, 1);
    }

    private LocalQueue queue(int capacity, PipelineActivity activity) {
        return new LocalQueue(capacity, activity, expired::add);
    }

    private static Item offer(LocalQueue queue, Item item) {
        AtomicReference<Item> entered = new AtomicReference<>();
        queue.enter(item, false, entered::set);
        return entered.get();
    }

    @Test
    void theModelTakesTheOldestItemOfTheFirstLevelThatHasOneOverAnyArrivals() {
        for (long seed = 1; seed <= 200; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int capacity = 1 + random.nextInt(40);
            LocalQueue queue = queue(capacity, new PipelineActivity(capacity, 1));
            List<Item> queued = new ArrayList<>(); // what the queue should hold, in arrival order
            long seq = 0;
            for (int step = 0; step < 300; step++) {
                if (random.nextInt(3) > 0) {
                    boolean full = queued.size() == capacity;
                    Item entered = offer(queue, item("r" + random.nextInt(3), ++seq, 1 + random.nextInt(Priority.LEVELS), 0));
                    assertThat(entered == null).as("seed %d: refused exactly when full", seed).isEqualTo(full);
                    if (entered != null) {
                        queued.add(entered);
                    }
                } else {
                    int max = 1 + random.nextInt(8);
                    List<Item> batch = queue.take(max, NO_WAKE);
                    // expected: by level first, then by arrival; a stable sort keeps arrival order within a level
                    List<Item> expected = queued.stream().sorted(Comparator.comparingInt(Item::priority))
                            .limit(max).toList();
                    assertThat(batch).as("seed %d", seed).containsExactlyElementsOf(expected);
                    queued.removeAll(batch);
                }
                assertThat(queue.depth()).isEqualTo(queued.size());
            }
        }
    }

    @Test
    void aWaitingLoaderOfAFirstLevelGetsTheNextFreePlaceBeforeLaterLevelsThatAskedEarlier() {
        PipelineActivity activity = new PipelineActivity(1, 1);
        LocalQueue queue = queue(1, activity);
        offer(queue, item("full", 1, 3, 0));
        List<String> admitted = new ArrayList<>();
        queue.enter(item("low", 1, 5, 0), true, e -> admitted.add(e.runId()));
        queue.enter(item("default", 1, 3, 0), true, e -> admitted.add(e.runId()));
        queue.enter(item("urgent", 1, 1, 0), true, e -> admitted.add(e.runId()));
        queue.enter(item("urgent", 2, 1, 0), true, e -> admitted.add(e.runId()));
        assertThat(queue.waiting()).isEqualTo(4);

        List<String> taken = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            taken.add(queue.take(1, NO_WAKE).get(0).runId());
        }

        assertThat(admitted).containsExactly("urgent", "urgent", "default", "low");
        assertThat(taken).containsExactly("full", "urgent", "urgent", "default", "low");
        assertThat(queue.waiting()).isZero();
    }

    @Test
    void theDepthOfEachLaneIsShownAndAddsUpToTheDepth() {
        PipelineActivity activity = new PipelineActivity(10, 1);
        LocalQueue queue = queue(10, activity);
        offer(queue, item("a", 1, 1, 0));
        offer(queue, item("a", 2, 1, 0));
        offer(queue, item("b", 1, 4, 0));
        offer(queue, item("c", 1, 3, 0));
        assertThat(activity.depthByPriority()).containsExactly(2, 0, 1, 1, 0);

        queue.take(3, NO_WAKE);
        assertThat(activity.depthByPriority()).containsExactly(0, 0, 0, 1, 0);
        assertThat(activity.depth()).isEqualTo(1);
        queue.discard("b");
        assertThat(activity.depthByPriority()).containsExactly(0, 0, 0, 0, 0);
    }

    @Test
    void anItemPastItsDeadlineLeavesTheQueueFromBehindAnItemWithNone() {
        PipelineActivity activity = new PipelineActivity(10, 1);
        LocalQueue queue = queue(10, activity);
        OwnDepth hastyDepth = activity.openOwn("hasty");
        OwnDepth patientDepth = activity.openOwn("patient");
        offer(queue, item("patient", 1, 3, 0));
        Item hasty = offer(queue, item("hasty", 1, 3, 40));
        offer(queue, item("patient", 2, 3, 0));

        // nobody takes from the queue: the sweep finds it behind the head
        await().atMost(Duration.ofSeconds(10)).until(() -> expired.size() == 1);

        Expired gone = expired.get(0);
        assertThat(gone.item()).isEqualTo(hasty);
        assertThat(gone.atUs() - hasty.enqueuedUs()).as("it waited its deadline out").isGreaterThanOrEqualTo(40_000);
        assertThat(queue.depth()).isEqualTo(2);
        assertThat(activity.depthByPriority()).containsExactly(0, 0, 2, 0, 0);
        assertThat(activity.read(hastyDepth).own()).as("its run's own depth, out of order too")
                .extracting(OwnDepth.Reading::level, OwnDepth.Reading::max).containsExactly(0, 1);
        assertThat(activity.read(patientDepth).own().level()).isEqualTo(2);
        assertThat(queue.take(10, NO_WAKE)).extracting(Item::runId).containsExactly("patient", "patient");
    }

    @Test
    void thePlacesOfExpiredItemsGoToWaitingLoaders() {
        LocalQueue queue = queue(2, new PipelineActivity(2, 1));
        offer(queue, item("hasty", 1, 3, 30));
        offer(queue, item("hasty", 2, 3, 30));
        List<Item> admitted = new CopyOnWriteArrayList<>();
        queue.enter(item("waiting", 1, 3, 0), true, admitted::add);

        await().atMost(Duration.ofSeconds(10)).until(() -> expired.size() == 2 && admitted.size() == 1);
        assertThat(expired).extracting(Expired::seq).containsExactly(1L, 2L);
        assertThat(queue.take(10, NO_WAKE)).extracting(Item::runId).containsExactly("waiting");
    }

    @Test
    void theModelNeverTakesAnItemWhoseDeadlineHasPassed() {
        LocalQueue queue = queue(10, new PipelineActivity(10, 1));
        Item hasty = offer(queue, item("hasty", 1, 1, 1));
        offer(queue, item("patient", 1, 3, 0));
        await().atMost(Duration.ofSeconds(10)).until(() -> Clock.nowUs() > hasty.expiresUs());

        List<Item> batch = queue.take(10, NO_WAKE);

        assertThat(batch).extracting(Item::runId).containsExactly("patient");
        assertThat(expired).extracting(e -> e.item().runId()).containsExactly("hasty"); // by the take or the sweep
    }

    @Test
    void itemsWithoutADeadlineNeverExpire() {
        LocalQueue queue = queue(10, new PipelineActivity(10, 1));
        offer(queue, item("a", 1, 3, 0));
        offer(queue, item("b", 1, 3, 20));
        await().atMost(Duration.ofSeconds(10)).until(() -> expired.size() == 1);
        assertThat(queue.take(10, NO_WAKE)).extracting(Item::runId).containsExactly("a");
    }
}
