package dev.mlpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mlpipe.observe.OwnDepth;
import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.observe.RunStats;
import dev.mlpipe.queue.Expired;
import dev.mlpipe.queue.Item;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * What the loaders hand the publisher: nothing while the broker is away, nothing of an item whose wait was given up
 * (its run ended), and, after a reconnection, every item the broker may have lost, again.
 */
class BrokerQueueTest {

    private static final String QUEUE = "test.items.simulated";

    /** The publisher, as the queue sees it: the messages handed to it, each settled by the test as the broker would. */
    private static class Client extends MessageEmitter {
        final List<Message<?>> sent = new CopyOnWriteArrayList<>();

        @Override
        void sent(Message<?> message) {
            sent.add(message);
        }

        void refuse(int index) {
            sent.get(index).nack(new IllegalStateException("the queue is full"));
        }

        /** The item a message of one carries. */
        Item item(int index) {
            return (Item) sent.get(index).getPayload();
        }

        /** The items a message carries, one or several. */
        List<Item> items(int index) {
            return BrokerIntake.read(sent.get(index).getPayload(), TestPayloads.STRICT).items();
        }
    }

    private final Client client = new Client();
    private final AtomicBoolean reachable = new AtomicBoolean(true);
    private final VirtualTime time = new VirtualTime();
    private final PipelineActivity activity = new PipelineActivity(10, 1);
    /** Capacity 10, a chunk's items four to a message. */
    private final BrokerQueue queue = new BrokerQueue(QUEUE, client, activity, 10, 4, reachable::get, time);
    private final AtomicReference<Item> settled = new AtomicReference<>();
    private final AtomicBoolean refused = new AtomicBoolean();

    @AfterEach
    void stop() {
        queue.stop();
    }

    private Cancellable enter(boolean wait) {
        return queue.enter(Item.loaded("0123456789ab", 1, 5, 0, 1), wait, entered -> {
            if (entered == null) {
                refused.set(true);
            }
            settled.set(entered);
        });
    }

    @Test
    void aRunSaysItsItemsWaitForAWorkerWhileNoneConsumesItsModelsQueue() {
        RunStats run = new RunStats(activity, "0123456789ab");
        assertThat(run.snapshot(0, 0, 0).waitingFor()).as("before the first look at the broker").isNull();

        queue.consumers(0); // the broker's queue has no consumer: no worker loaded the model
        assertThat(run.snapshot(1, 0, 0).waitingFor()).isEqualTo("no worker consumes " + QUEUE
                + ": its items wait in the broker's queue until a worker that loaded the model starts");

        queue.consumers(2);
        assertThat(run.snapshot(1, 0, 0).waitingFor()).as("once a worker serves the model").isNull();
    }

    @Test
    void aBlockedItemIsPublishedAgainAfterARefusalUntilItsWaitIsGivenUp() {
        Cancellable wait = enter(true);
        assertThat(client.sent).hasSize(1);
        client.refuse(0);
        time.advance(Duration.ofMillis(5)); // the first pause
        assertThat(client.sent).hasSize(2);

        wait.cancel(); // its run ended
        client.refuse(1);
        time.advance(Duration.ofMinutes(1));
        assertThat(client.sent).hasSize(2);
        assertThat(settled.get()).isNull();
    }

    @Test
    void whileTheBrokerIsAwayNothingIsHandedToTheClientAndAnItemGivenUpMeanwhileNeverIs() {
        reachable.set(false);
        Cancellable wait = enter(true);
        time.advance(Duration.ofSeconds(10));
        assertThat(client.sent).isEmpty();

        wait.cancel(); // the outage limit failed its run
        reachable.set(true); // and the broker is back
        time.advance(Duration.ofMinutes(1));
        assertThat(client.sent).isEmpty();
    }

    @Test
    void anItemThatWaitsIsPublishedOnceTheBrokerIsBack() {
        reachable.set(false);
        enter(true);
        time.advance(Duration.ofSeconds(10));
        assertThat(client.sent).isEmpty();
        reachable.set(true);
        time.advance(Duration.ofSeconds(1)); // the longest pause
        assertThat(client.sent).hasSize(1);
        client.sent.get(0).ack();
        assertThat(settled.get().seq()).isEqualTo(1);
    }

    /** With a broker, a run's own depth counts its items published and not back: in the queue or at a worker. */
    @Test
    void aRunsOwnDepthCountsItsItemsOutstandingEachOnceWhateverIsPublishedAgain() {
        OwnDepth own = activity.openOwn("0123456789ab");
        for (long seq = 1; seq <= 3; seq++) {
            queue.enter(Item.loaded("0123456789ab", seq, 5, 0, 1), true, settled::set);
        }
        queue.enter(Item.loaded("ba9876543210", 1, 5, 0, 1), true, settled::set); // another run's
        client.refuse(0); // the broker's queue was full: it goes again, and counts once
        time.advance(Duration.ofMillis(5));
        client.sent.forEach(Message::ack);
        assertThat(activity.read(own).own().level()).isEqualTo(3);

        queue.returned(new Expired(client.item(1), 0));
        queue.returned(new Expired(client.item(1), 0)); // a second word changes nothing
        queue.publishOutstandingAgain();

        assertThat(activity.read(own).own()).extracting(OwnDepth.Reading::level, OwnDepth.Reading::max)
                .containsExactly(2, 3);
    }

    @Test
    void afterAReconnectionEveryItemNotYetBackIsPublishedAgainAsItWasUntilConfirmed() {
        for (long seq = 1; seq <= 3; seq++) {
            queue.enter(Item.loaded("0123456789ab", seq, 5, 0, 1), true, settled::set);
        }
        queue.enter(Item.loaded("ba9876543210", 1, 5, 0, 1), true, settled::set);
        client.sent.forEach(Message::ack);
        List<Item> entered = java.util.stream.IntStream.range(0, client.sent.size()).mapToObj(client::item).toList();
        queue.returned(new Expired(entered.get(1), 0)); // seq 2 came back expired
        queue.returned(new Expired(entered.get(1), 0)); // a second word on it changes nothing
        queue.discard("ba9876543210"); // that run ended

        queue.publishOutstandingAgain();

        assertThat(client.sent).hasSize(6);
        List<Item> again = List.of(client.item(4), client.item(5));
        assertThat(again).as("seqs 1 and 3 of the run still going, exactly as first entered")
                .containsExactlyInAnyOrder(entered.get(0), entered.get(2));
        client.refuse(4); // the queue was full: that one goes again
        time.advance(Duration.ofMillis(100));
        assertThat(client.sent).hasSize(7);
        assertThat(client.item(6)).isEqualTo(client.item(4));
    }

    @Test
    void aLoaderOfAnEarlierLevelWaitingForRoomGetsTheNextPlaceBeforeLaterLevels() {
        List<Item> entered = new CopyOnWriteArrayList<>();
        queue.enter(Item.loaded("0123456789ab", 1, 5, 0, 5, 0, 1), true, entered::add); // level 5: last
        queue.enter(Item.loaded("ba9876543210", 1, 5, 0, 1, 0, 1), true, entered::add); // level 1: first
        client.refuse(0);
        client.refuse(1); // the queue is full: both wait for room

        // only level 1 tries again while it waits (its try is left unanswered: the broker has not said yet)
        time.advance(Duration.ofMinutes(1));
        assertThat(client.sent).hasSize(3);
        assertThat(client.item(2).priority()).isEqualTo(1);

        client.sent.get(2).ack(); // room: level 1 took it, and level 5 tries again
        time.advance(Duration.ofSeconds(1));
        assertThat(client.sent).hasSize(4);
        assertThat(client.item(3).priority()).isEqualTo(5);
        client.sent.get(3).ack();
        assertThat(entered).extracting(Item::priority).containsExactly(1, 5);
    }

    @Test
    void anItemBackFreesAPlaceThatTheEarliestLevelWaitingTakesAtOnceRatherThanAfterItsPause() {
        queue.stop();
        // pauses of a minute: whatever is published again within the test, a freed place made it so
        BrokerQueue slow = new BrokerQueue(QUEUE, client,
                new PipelineActivity(10, 1), 10, 4, reachable::get, 60_000, 60_000,
                time);
        try {
            List<Item> entered = new CopyOnWriteArrayList<>();
            slow.enter(Item.loaded("000000000001", 1, 5, 0, 3, 0, 1), true, entered::add);
            client.sent.get(0).ack(); // in the queue, which is full from now on
            slow.enter(Item.loaded("000000000005", 1, 5, 0, 5, 0, 1), true, entered::add);
            slow.enter(Item.loaded("000000000002", 1, 5, 0, 1, 0, 1), true, entered::add);
            client.refuse(1);
            client.refuse(2);
            time.advance(Duration.ofSeconds(59));
            assertThat(client.sent).hasSize(3);

            slow.returned(new Expired(entered.get(0), 0)); // its worker took the next: a place is free
            time.advance(Duration.ZERO);
            assertThat(client.sent).hasSize(4);
            assertThat(client.item(3).priority()).as("level 1, though it waited less").isEqualTo(1);
            client.sent.get(3).ack();

            slow.returned(new Expired(entered.get(1), 0)); // another place
            time.advance(Duration.ZERO);
            assertThat(client.sent).hasSize(5);
            assertThat(client.item(4).priority()).isEqualTo(5);
            client.sent.get(4).ack();
            assertThat(entered).extracting(Item::priority).containsExactly(3, 1, 5);
        } finally {
            slow.stop();
        }
    }

    @Test
    void aPlaceFreedJustAsAPauseEndsStillEntersTheItemOnce() throws InterruptedException {
        queue.stop();
        AtomicInteger sends = new AtomicInteger();
        AtomicInteger settles = new AtomicInteger();
        Client fullFor2000 = new Client() { // refuses at once, as a full queue does, 2,000 times; then takes it
            @Override
            void sent(Message<?> message) {
                if (sends.incrementAndGet() <= 2_000) {
                    message.nack(new IllegalStateException("the queue is full"));
                } else {
                    message.ack();
                }
            }
        };
        // real time here: the race is between the retry thread and the results' thread
        BrokerQueue racing = new BrokerQueue(QUEUE, fullFor2000,
                new PipelineActivity(10, 1), 10, 4, reachable::get, 1, 1,
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor());
        AtomicBoolean freeing = new AtomicBoolean(true);
        Thread results = new Thread(() -> { // results come back, each a freed place, about when pauses end
            Expired back = new Expired(Item.loaded("000000000009", 1, 5, 0, 1), 0);
            while (freeing.get()) {
                racing.returned(back);
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(2_000_000));
            }
        });
        try {
            racing.enter(Item.loaded("0123456789ab", 1, 5, 0, 1), true, entered -> settles.incrementAndGet());
            results.start();
            await().atMost(Duration.ofSeconds(20)).until(() -> settles.get() >= 1);
            freeing.set(false);
            results.join();
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> settles.get() == 1);
            assertThat(sends.get()).as("one publish at a time: the 2,001st entered, none after").isEqualTo(2_001);
        } finally {
            freeing.set(false);
            racing.stop();
        }
    }

    @Test
    void anItemThatMayNotWaitIsRefusedAtOnceWhileTheBrokerIsAway() {
        reachable.set(false);
        enter(false);
        assertThat(refused).as("dropped or failing its run, as the policy says").isTrue();
        assertThat(client.sent).isEmpty();
    }

    private static Item[] chunk(String runId, int n) {
        Item[] items = new Item[n];
        for (int i = 0; i < n; i++) {
            items[i] = Item.loaded(runId, i + 1, 5, 0, 1);
        }
        return items;
    }

    @Test
    void aWaitingLoadersChunkGoesInMessagesOfUpToItemsPerMessageWithoutWaitingForTheBrokersConfirms() {
        assertThat(queue.room(false)).as("a loader that may not wait hears of each refusal: one at a time").isZero();
        Item[] items = chunk("0123456789ab", 6);

        assertThat(queue.enterNow(items, 0, 6, true)).isEqualTo(6);

        assertThat(client.sent).as("two messages on their way, none confirmed yet").hasSize(2);
        assertThat(client.items(0)).containsExactly(items[0], items[1], items[2], items[3]);
        assertThat(client.items(1)).containsExactly(items[4], items[5]);
        assertThat(items).allSatisfy(item -> assertThat(item.enqueuedUs()).isPositive());
        assertThat(items).extracting(Item::queueDepth).as("the items outstanding as each entered")
                .containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(queue.room(true)).as("the capacity bounds the items outstanding").isEqualTo(4);
        assertThat(queue.enterNow(chunk("ba9876543210", 6), 0, 6, true)).isEqualTo(4);
        client.sent.forEach(Message::ack);
        assertThat(queue.room(true)).as("confirmed, they are in the broker's queue or at a worker").isZero();
        assertThat(queue.outstanding()).isEqualTo(10);

        queue.returned(new Expired(items[0], 0));
        queue.returned(new Expired(items[5], 0));
        assertThat(queue.room(true)).as("two came back").isEqualTo(2);
    }

    @Test
    void aLoaderThatWaitsOneItemAtATimeWaitsForAPlaceToComeBackAndOneThatMayNotIsRefused() {
        Item[] items = chunk("0123456789ab", 10);
        queue.enterNow(items, 0, 10, true);
        client.sent.forEach(Message::ack);
        int sent = client.sent.size();

        queue.enter(Item.loaded("000000000003", 1, 5, 0, 1), false, entered -> refused.set(entered == null));
        assertThat(refused).as("every place is taken: refused without asking the broker").isTrue();
        List<Item> entered = new CopyOnWriteArrayList<>();
        queue.enter(Item.loaded("ba9876543210", 1, 5, 0, 1), true, entered::add);
        time.advance(Duration.ofMinutes(1));
        assertThat(client.sent).as("nothing published while every place is taken").hasSize(sent);

        queue.returned(new Expired(items[3], 0)); // a place is free
        time.advance(Duration.ZERO);
        assertThat(client.sent).hasSize(sent + 1);
        client.sent.get(sent).ack();
        assertThat(entered).extracting(Item::runId).containsExactly("ba9876543210");
        assertThat(queue.outstanding()).isEqualTo(10);
    }

    @Test
    void theItemsOfAMessageTheBrokerRefusesWaitForRoomAndGoAgainOneByOneAsTheyEntered() {
        Item[] items = chunk("0123456789ab", 6);
        queue.enterNow(items, 0, 6, true);
        client.refuse(0); // four items: their queue was full (another api filled it)
        client.sent.get(1).ack();
        assertThat(queue.room(true)).as("while one waits for room, loaders go one at a time, in their turn").isZero();

        time.advance(Duration.ofMillis(5)); // the first pause
        assertThat(client.sent).hasSize(6);
        assertThat(java.util.stream.IntStream.range(2, 6).mapToObj(client::item))
                .as("each alone, its place and its time in the queue as it entered")
                .containsExactly(items[0], items[1], items[2], items[3]);
        client.sent.subList(2, 6).forEach(Message::ack);
        assertThat(queue.unconfirmed()).isZero();
        assertThat(queue.room(true)).as("six places still taken until their results come back").isEqualTo(4);
    }

    @Test
    void aChunksItemWaitingForRoomIsNotPublishedAgainOnceItsRunHasEnded() {
        queue.enterNow(chunk("0123456789ab", 2), 0, 2, true);
        client.refuse(0);
        queue.discard("0123456789ab"); // its run was cancelled

        time.advance(Duration.ofMinutes(1));

        assertThat(client.sent).hasSize(1);
        assertThat(queue.room(true)).isEqualTo(10);
    }
}
