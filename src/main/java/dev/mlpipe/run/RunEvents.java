package dev.mlpipe.run;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.Subscriptions;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * The events of one run as every client sees them. The newest {@code mlpipe.stream.history} results and the end are
 * kept in a ring and replayed to whoever subscribes, each reader at its own pace from its own position; the live ones
 * follow. Memory stays bounded whatever the clients do: a reader that falls so far behind that its next event has been
 * overwritten is ended with {@link FellBehind}, and whoever asks for events that are no longer kept gets a
 * {@code gap} event first. {@code stats} events go only to the clients connected when they are made, and a client too
 * slow for them misses some. Appends come from one thread at a time (the run's lock).
 */
public final class RunEvents {

    public static final String GAP = "gap";

    /** A reader's next event was overwritten before it could take it. */
    public static final class FellBehind extends RuntimeException {
        FellBehind(int kept) {
            super("the client fell more than " + kept + " events behind", null, false, false);
        }
    }

    private final int kept;
    private final AtomicInteger allSubscribers;
    private final Function<Object, String> json;
    private final Set<Reader> readers = ConcurrentHashMap.newKeySet();
    private final BroadcastProcessor<RunEvent> stats = BroadcastProcessor.create();
    private final AtomicInteger subscribers = new AtomicInteger();

    // guarded by this
    private RunEvent[] ring = new RunEvent[16];
    private long appended;
    private long lastEvictedId;
    private boolean closed;

    RunEvents(int kept, AtomicInteger allSubscribers, Function<Object, String> json) {
        this.kept = kept;
        this.allSubscribers = allSubscribers;
        this.json = json;
    }

    void append(RunEvent event) {
        synchronized (this) {
            if (appended < kept && appended == ring.length) {
                RunEvent[] larger = new RunEvent[(int) Math.min(kept, ring.length * 2L)];
                System.arraycopy(ring, 0, larger, 0, ring.length);
                ring = larger;
            }
            int slot = (int) (appended % ring.length);
            if (ring[slot] != null) {
                lastEvictedId = ring[slot].id();
            }
            ring[slot] = event;
            appended++;
        }
        readers.forEach(Reader::drain);
    }

    void publishStats(RunEvent event) {
        stats.onNext(event);
    }

    void close() {
        synchronized (this) {
            closed = true;
        }
        readers.forEach(Reader::drain);
        stats.onComplete();
    }

    public int subscribers() {
        return subscribers.get();
    }

    /**
     * Kept and live events whose id is greater than {@code lastEventId}, with live stats among them, and a {@code gap}
     * event first if some of those are no longer kept; completes after the end event (a stats event may still trail
     * it: clients stop at the end).
     */
    public Multi<RunEvent> after(long lastEventId) {
        Flow.Publisher<RunEvent> keptEvents = subscriber -> {
            Reader reader = new Reader(subscriber, lastEventId);
            readers.add(reader);
            subscriber.onSubscribe(reader);
            reader.drain();
        };
        return Multi.createBy().merging().streams(Multi.createFrom().publisher(keptEvents), stats.onOverflow().drop())
                .onSubscription().invoke(() -> {
                    subscribers.incrementAndGet();
                    allSubscribers.incrementAndGet();
                })
                .onTermination().invoke(() -> {
                    subscribers.decrementAndGet();
                    allSubscribers.decrementAndGet();
                });
    }

    /** @return the position of the first kept event with an id above {@code lastEventId}; ids grow with positions */
    private long firstPositionAfter(long lastEventId) {
        long low = Math.max(0, appended - ring.length);
        long high = appended;
        while (low < high) {
            long mid = (low + high) >>> 1;
            if (ring[(int) (mid % ring.length)].id() <= lastEventId) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** One subscriber's position in the ring, and its demand. */
    private final class Reader implements Flow.Subscription {
        private static final int BATCH = 256;

        private final Flow.Subscriber<? super RunEvent> downstream;
        private final AtomicLong demand = new AtomicLong();
        private final AtomicInteger wip = new AtomicInteger();
        private final RunEvent[] batch = new RunEvent[BATCH];
        private volatile boolean cancelled;
        private long position;
        private RunEvent gap;

        Reader(Flow.Subscriber<? super RunEvent> downstream, long lastEventId) {
            this.downstream = downstream;
            synchronized (RunEvents.this) {
                position = firstPositionAfter(lastEventId);
                if (lastEventId < lastEvictedId) {
                    gap = gapEvent(lastEventId + 1, lastEvictedId);
                }
            }
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancel();
                downstream.onError(Subscriptions.getInvalidRequestException());
                return;
            }
            Subscriptions.add(demand, n);
            drain();
        }

        @Override
        public void cancel() {
            cancelled = true;
            readers.remove(this);
        }

        /** Emits what is kept and wanted; only one thread at a time runs the loop, others leave it a note to go on. */
        void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            int missed = 1;
            do {
                while (!cancelled) {
                    long wanted = demand.get();
                    if (wanted > 0 && gap != null) {
                        RunEvent notice = gap;
                        gap = null;
                        demand.decrementAndGet();
                        downstream.onNext(notice);
                        continue;
                    }
                    int taken;
                    boolean behind;
                    boolean done;
                    synchronized (RunEvents.this) {
                        behind = position < appended - ring.length;
                        taken = behind ? 0 : (int) Math.min(Math.min(wanted, BATCH), appended - position);
                        for (int i = 0; i < taken; i++) {
                            batch[i] = ring[(int) ((position + i) % ring.length)];
                        }
                        position += taken;
                        done = closed && position == appended;
                    }
                    if (behind) {
                        cancel();
                        downstream.onError(new FellBehind(kept));
                        return;
                    }
                    demand.addAndGet(-taken);
                    for (int i = 0; i < taken && !cancelled; i++) {
                        downstream.onNext(batch[i]);
                        batch[i] = null;
                    }
                    if (done) {
                        cancel();
                        downstream.onComplete();
                        return;
                    }
                    if (taken == 0) {
                        break;
                    }
                }
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        }
    }

    /** What a {@code gap} event says: the ids no longer kept, and why. */
    @RegisterForReflection
    public record Gap(long firstMissed, long lastMissed, int kept, String message) {
    }

    private RunEvent gapEvent(long firstMissed, long lastMissed) {
        return new RunEvent(0, GAP, new Gap(firstMissed, lastMissed, kept, "events " + firstMissed + " to "
                + lastMissed + " are no longer kept (a run keeps its newest " + kept + "); the kept ones follow"), json);
    }
}
