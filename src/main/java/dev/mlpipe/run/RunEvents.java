package dev.mlpipe.run;

import java.util.concurrent.atomic.AtomicInteger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * The events of one run as every client sees them: the newest {@code mlpipe.stream.history} results and the end are
 * kept and replayed to whoever subscribes, then the live ones follow; {@code stats} events go only to those connected
 * when they are made, and a client too slow for them misses some. Appends come from one thread at a time (the run's
 * lock).
 */
public final class RunEvents {

    private final BroadcastProcessor<RunEvent> live = BroadcastProcessor.create();
    private final BroadcastProcessor<RunEvent> stats = BroadcastProcessor.create();
    private final Multi<RunEvent> replay;
    private final AtomicInteger subscribers = new AtomicInteger();
    private final AtomicInteger allSubscribers;

    RunEvents(int kept, AtomicInteger allSubscribers) {
        this.allSubscribers = allSubscribers;
        replay = Multi.createBy().replaying().upTo(kept).ofMulti(live);
        replay.subscribe().with(event -> {
        }); // the replay records from its first subscriber on: this one makes that now, not at the first client
    }

    void append(RunEvent event) {
        live.onNext(event);
    }

    void publishStats(RunEvent event) {
        stats.onNext(event);
    }

    void close() {
        stats.onComplete();
        live.onComplete();
    }

    public int subscribers() {
        return subscribers.get();
    }

    /**
     * Kept and live events whose id is greater than {@code lastEventId}, with live stats among them; completes after
     * the end event (a stats event may still trail it: clients stop at the end).
     */
    public Multi<RunEvent> after(long lastEventId) {
        Multi<RunEvent> kept = lastEventId <= 0 ? replay : replay.select().where(event -> event.id() > lastEventId);
        return Multi.createBy().merging().streams(kept, stats.onOverflow().drop())
                .onSubscription().invoke(() -> {
                    subscribers.incrementAndGet();
                    allSubscribers.incrementAndGet();
                })
                .onTermination().invoke(() -> {
                    subscribers.decrementAndGet();
                    allSubscribers.decrementAndGet();
                });
    }
}
