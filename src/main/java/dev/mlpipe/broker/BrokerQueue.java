package dev.mlpipe.broker;

import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.jboss.logging.Logger;

import dev.mlpipe.config.Priority;
import dev.mlpipe.observe.Clock;
import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.ItemQueue;
import dev.mlpipe.queue.Returned;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * A model's queue with a broker: its items queue on RabbitMQ, {@code <ns>.items.<model>}; one a model
 * ({@link BrokerQueues}). The model's capacity bounds the items this process has {@code outstanding}: published (or on
 * their way) and not back, whether in the broker's queue or held by a worker. An item takes a place here before it is
 * published, and frees it when its result (or its expiry) comes back. The broker bounds its queue's length to the
 * capacity too ({@link BrokerTopology}), in messages, which refuses nothing this bound admits while one api feeds it.
 * Each item is published on {@code items-out} ({@link BrokerPublisher}) and settles once the broker has confirmed or
 * refused it, or the connection was lost before it said. A loader that waits for room ({@code block}) tries a refused
 * item again after a pause that grows from 5 ms to a second, which counts as its wait for room; while a loader of a
 * level before its own waits so, it lets that one have the next place (it tries every {@value #DEFERRED_MS} ms whether
 * one still waits), as the in-process queue does. A result (or an expiry) back frees a place: then the waiting loader
 * of the earliest level, the oldest of it, tries at once rather than at the end of its pause.
 * <p>
 * Nothing is handed to the publisher while the broker is unreachable, which would refuse it at once: a waiting item is
 * tried again once the broker is back (not every few milliseconds meanwhile); an item that may not wait is refused.
 * <p>
 * An item the broker has confirmed stays {@code outstanding} until its result (or its expiry) is back. A broker that
 * stops can lose an item a worker held unacknowledged (handed back as it stopped, it need not be in the queue after
 * the restart), and its run would wait for it for ever. So each time this process's connection has recovered from a
 * loss, every outstanding item is published again, as it was; whatever result comes back second is dropped by its run.
 * <p>
 * A loader that waits for room does not wait for each confirm: its chunk takes its places at once
 * ({@link #enterNow(Item[], int, int, boolean)}) and goes in messages of up to {@code mlpipe.broker.items-per-message}
 * items ({@link ItemMessage}), their confirms streamed back, so that it pays the broker's round trip, and a message's
 * cost, once a message rather than once an item. Such an item has its place: the items of a message the broker
 * refuses (its queue full, several apis feeding it) wait in this process one by one, as a loader's item does, until
 * the broker takes them.
 */
public class BrokerQueue implements ItemQueue {

    private static final Logger LOG = Logger.getLogger(BrokerQueue.class);
    /** How soon an item that let a level before it go first tries again. */
    private static final long DEFERRED_MS = 5;
    /** The pause after a refusal of an item that waits for room: it doubles after each, up to the longest. */
    private static final long FIRST_PAUSE_MS = 5;
    private static final long LONGEST_PAUSE_MS = 1_000;

    /** Where each item goes: its model's queue on the broker ({@link BrokerPublisher} routes by it). */
    private final Route route;
    private final Emitter<Object> link;
    private final PipelineActivity activity;
    private final int capacity;
    /** The most items a chunk puts in one message. */
    private final int itemsPerMessage;
    private final BooleanSupplier reachable;
    /** Where pauses are waited out and attempts made; a test's runs on virtual time. */
    private final ScheduledExecutorService retries;
    /**
     * Items of loaders waiting for room (refused by a full queue), by level (index 0: level 1), oldest first: a level
     * waits while one before it has any, and a freed place goes to the first.
     */
    private final List<Queue<Publishing>> waiters = IntStream.range(0, Priority.LEVELS)
            .<Queue<Publishing>>mapToObj(level -> new ConcurrentLinkedQueue<>()).toList();
    private final long firstPauseMs;
    private final long longestPauseMs;
    /** Items that took a place and are not back yet: at most the capacity (a place is taken under this queue's lock). */
    private final Outstanding outstanding;
    /** Items entered a chunk at once whose publish the broker has not confirmed yet. */
    private final AtomicInteger unconfirmed = new AtomicInteger();

    /**
     * @param queue the model's items queue on the broker ({@link BrokerNames#items})
     * @param link unbounded: what is on its way is bounded by the capacity
     * @param itemsPerMessage the most items of a chunk in one message
     * @param reachable whether the broker can be published to now
     * @param retries the one thread that makes the attempts after a pause; shut down with the queue
     */
    BrokerQueue(String queue, Emitter<Object> link, PipelineActivity activity, int capacity, int itemsPerMessage,
            BooleanSupplier reachable, ScheduledExecutorService retries) {
        this(queue, link, activity, capacity, itemsPerMessage, reachable, FIRST_PAUSE_MS, LONGEST_PAUSE_MS, retries);
    }

    /** @param firstPauseMs the pause after a first refusal, doubled after each up to {@code longestPauseMs} */
    BrokerQueue(String queue, Emitter<Object> link, PipelineActivity activity, int capacity, int itemsPerMessage,
            BooleanSupplier reachable, long firstPauseMs, long longestPauseMs, ScheduledExecutorService retries) {
        this.route = new Route(queue);
        this.retries = retries;
        this.link = link;
        this.activity = activity;
        this.outstanding = new Outstanding(activity);
        this.capacity = capacity;
        this.itemsPerMessage = itemsPerMessage;
        this.reachable = reachable;
        this.firstPauseMs = firstPauseMs;
        this.longestPauseMs = longestPauseMs;
    }

    void stop() {
        retries.shutdownNow();
    }

    @Override
    public Cancellable enter(Item item, boolean wait, Consumer<Item> settled) {
        Publishing publishing = new Publishing(item, wait, settled);
        publishing.attempt(0);
        return publishing;
    }

    /**
     * Enters a waiting loader's items at once, as many as there are places for, published in messages of up to
     * {@code itemsPerMessage} with their confirms still to come: their places are taken, and the items of a message
     * the broker refuses wait here for room one by one, in their level's turn, as a loader's item does.
     */
    @Override
    public int enterNow(Item[] items, int from, int to, boolean wait) {
        if (room(wait) == 0) {
            return 0;
        }
        long nowUs = Clock.nowUs();
        int n = 0;
        synchronized (this) {
            while (from + n < to) {
                Item entered = takePlace(items[from + n], nowUs);
                if (entered == null) {
                    break;
                }
                items[from + n++] = entered;
            }
        }
        if (n <= 0) {
            return 0;
        }
        unconfirmed.addAndGet(n);
        for (int start = from; start < from + n; start += itemsPerMessage) {
            List<Item> message = List.of(Arrays.copyOfRange(items, start, Math.min(from + n, start + itemsPerMessage)));
            link.send(Confirms.told(ItemMessage.of(message), ok -> {
                if (ok) {
                    unconfirmed.addAndGet(-message.size());
                } else {
                    message.forEach(entered -> new Publishing(entered, true, again -> unconfirmed.decrementAndGet(),
                            true).refused(0));
                }
            }).addMetadata(route));
        }
        return n;
    }

    /**
     * For a loader that waits: the places not taken by items outstanding, while the broker is reachable and no loader
     * waits for room (then each goes in its turn, one item at a time). None for a loader that may not wait: it hears
     * of each refusal.
     */
    @Override
    public int room(boolean wait) {
        if (!wait || !reachable.getAsBoolean() || waiters.stream().anyMatch(level -> !level.isEmpty())) {
            return 0;
        }
        return Math.max(0, capacity - outstanding.places());
    }

    /**
     * Takes a place for an item if one is free; an item that has one already (it took it at an earlier attempt, and
     * the broker refused it) keeps it. Held before the broker has it: its result can come back before the confirm
     * does. Called under this queue's lock. @return the item as it entered, or null if no place is free
     */
    private Item takePlace(Item item, long nowUs) {
        boolean has = outstanding.holds(item.runId(), item.seq());
        if (!has && outstanding.places() >= capacity) {
            return null;
        }
        Item entering = item.enqueued(nowUs, outstanding.places() + (has ? 0 : 1));
        outstanding.hold(entering);
        return entering;
    }

    /** An item entered one at a time takes its place. */
    private synchronized Item admitted(Item item) {
        return takePlace(item, Clock.nowUs());
    }

    /** Items entered at once whose confirm has not come (or that the broker refused and wait for room). */
    int unconfirmed() {
        return unconfirmed.get();
    }

    @Override
    public String refusal(Item item) {
        return "the broker refused item " + item.seq() + " (the " + capacity + " places of its queue " + route.queue()
                + ", items in it or held by a worker, were all taken, or the broker was unreachable)";
    }

    /** The broker's queue cannot be searched: workers process a cancelled run's items, and the api drops the results. */
    @Override
    public int discard(String runId) {
        outstanding.discard(runId);
        placeFreed();
        return 0;
    }

    /**
     * This item is back, as a result or expired: it is no longer the broker's to lose, and its worker, having
     * acknowledged it, was sent the next item of the queue: a place is free for the first loader that waits.
     *
     * @return whether it was this queue's ({@link BrokerQueues} asks each model's queue)
     */
    boolean returned(Returned back) {
        if (!outstanding.forget(back.runId(), back.seq())) {
            return false;
        }
        placeFreed();
        return true;
    }

    /** A place may be free: the first loader that waits for one tries now. */
    void placeFreed() {
        for (Queue<Publishing> level : waiters) {
            for (Publishing waiting : level) {
                if (waiting.tryNow()) {
                    return;
                }
            }
        }
    }

    /** Items that took a place and are not back yet, of all runs: at most the capacity. */
    int outstanding() {
        return outstanding.places();
    }

    /** After a connection loss: what the broker may have lost goes again, each item until the broker confirms it. */
    void publishOutstandingAgain() {
        int again = outstanding();
        if (again > 0) {
            LOG.infof("RabbitMQ is back: publishing again the %d items it may have lost (a second result is dropped)",
                    again);
        }
        outstanding.forEach(this::publishAgain);
    }

    private void publishAgain(Item item) {
        if (!outstanding.holds(item.runId(), item.seq())) {
            return; // back meanwhile, or its run ended
        }
        if (!reachable.getAsBoolean()) {
            retries.schedule(() -> publishAgain(item), 1, TimeUnit.SECONDS);
            return;
        }
        link.send(Confirms.told(item, ok -> {
            if (!ok) { // the queue is full, or the connection was lost again
                retries.schedule(() -> publishAgain(item), 100, TimeUnit.MILLISECONDS);
            }
        }).addMetadata(route));
    }

    /** What this queue holds now, in words: for a log line or a test's failure message. */
    @Override
    public String toString() {
        return route.queue() + ": " + outstanding.places() + " of " + capacity + " places taken, " + unconfirmed.get()
                + " items unconfirmed, " + waiters.stream().mapToInt(Queue::size).sum() + " waiting for room";
    }

    /**
     * How many workers consume the model's items queue now ({@link BrokerWatch}): with none, its runs say what their
     * items wait for.
     */
    void consumers(int workers) {
        activity.waitingFor(workers > 0 ? null : "no worker consumes " + route.queue() + ": its items wait in the "
                + "broker's queue until a worker that loaded the model starts");
    }

    /** The model's items queue on the broker. */
    String queue() {
        return route.queue();
    }

    /**
     * The model's depth now, as {@link BrokerWatch} samples it: its items outstanding, in items and within the
     * capacity (the broker counts its queue's messages, which may carry several items each, and not what workers
     * hold).
     */
    void sample() {
        activity.depth(outstanding.places());
    }

    @Override
    public int capacity() {
        return capacity;
    }

    /** The depth at the last look ({@link BrokerWatch}). */
    @Override
    public int depth() {
        return activity.depth();
    }

    /** Whether a loader of a level before this one waits for room: then this one lets it have the next place. */
    private boolean outranked(int level) {
        for (int before = 1; before < level; before++) {
            if (!waiters.get(before - 1).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** One item on its way into the broker's queue, attempt after attempt. */
    private final class Publishing implements Cancellable {
        private final Item item;
        private final boolean wait;
        private final Consumer<Item> settled;
        /** Entered already (a chunk's item the broker refused): its place and its time in the queue stay as they were. */
        private final boolean entered;
        private volatile boolean cancelled;
        /** Refused for want of room, and waiting for it: in {@code waiters}. */
        private final AtomicBoolean waiting = new AtomicBoolean();
        /**
         * The attempt its pause waits for, until the pause's end or a freed place ({@link #tryNow}) takes it: whichever
         * comes first runs it, the other finds nothing (cancelling the pause would not do: a pause that has begun to
         * run can still be cancelled, and the attempt would run twice, the item entering twice).
         */
        private final AtomicReference<Runnable> paused = new AtomicReference<>();

        Publishing(Item item, boolean wait, Consumer<Item> settled) {
            this(item, wait, settled, false);
        }

        Publishing(Item item, boolean wait, Consumer<Item> settled, boolean entered) {
            this.item = item;
            this.wait = wait;
            this.settled = settled;
            this.entered = entered;
        }

        void attempt(int attempt) {
            if (cancelled) {
                return;
            }
            if (entered && !outstanding.holds(item.runId(), item.seq())) { // its run ended, or it came back from an earlier publish
                stopWaiting();
                settled.accept(null);
                return;
            }
            if (!reachable.getAsBoolean()) {
                if (wait) {
                    retry(attempt);
                } else {
                    settled.accept(null);
                }
                return;
            }
            if (wait && outranked(item.priority())) {
                retries.schedule(() -> attempt(attempt), DEFERRED_MS, TimeUnit.MILLISECONDS);
                return;
            }
            Item entering = entered ? item : admitted(item);
            if (entering == null) { // every place is taken
                if (wait) {
                    refused(attempt);
                } else {
                    settled.accept(null);
                }
                return;
            }
            link.send(Confirms.told(entering, ok -> {
                if (ok) {
                    stopWaiting();
                    settled.accept(entering);
                } else if (!wait) {
                    outstanding.forget(entering.runId(), entering.seq());
                    settled.accept(null);
                } else {
                    refused(attempt);
                }
            }).addMetadata(route));
        }

        /** The broker refused it (its queue full): it waits for room, in its level's turn. */
        void refused(int attempt) {
            if (waiting.compareAndSet(false, true)) {
                waiters.get(item.priority() - 1).add(this);
            }
            retry(attempt);
        }

        private void retry(int attempt) {
            if (!cancelled) {
                long pauseMs = Math.min(longestPauseMs, firstPauseMs << Math.min(attempt, 16));
                Runnable next = () -> attempt(attempt + 1);
                paused.set(next);
                retries.schedule(() -> {
                    if (paused.compareAndSet(next, null)) {
                        next.run();
                    }
                }, pauseMs, TimeUnit.MILLISECONDS);
            }
        }

        /**
         * A place is free: the attempt its pause waits for goes now. @return false if it was not pausing (its attempt
         * is on its way, or it let a level before it go first), and the place is another's
         */
        boolean tryNow() {
            Runnable next = paused.getAndSet(null);
            if (next == null) {
                return false;
            }
            retries.execute(next);
            return true;
        }

        private void stopWaiting() {
            if (waiting.compareAndSet(true, false)) {
                waiters.get(item.priority() - 1).remove(this);
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
            stopWaiting();
        }
    }
}
