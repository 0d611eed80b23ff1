package dev.mlpipe.run;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

/**
 * The events of one run as every client sees them: the newest {@code mlpipe.stream.history} are kept and replayed to
 * whoever subscribes, then the live ones follow. Appends come from one thread at a time (the run's lock).
 */
public final class RunEvents {

    private final BroadcastProcessor<RunEvent> live = BroadcastProcessor.create();
    private final Multi<RunEvent> replay;

    RunEvents(int kept) {
        replay = Multi.createBy().replaying().upTo(kept).ofMulti(live);
        replay.subscribe().with(event -> {
        }); // the replay records from its first subscriber on: this one makes that now, not at the first client
    }

    void append(RunEvent event) {
        live.onNext(event);
    }

    void close() {
        live.onComplete();
    }

    /** Kept and live events whose id is greater than {@code lastEventId}; completes after the end event. */
    public Multi<RunEvent> after(long lastEventId) {
        return lastEventId <= 0 ? replay : replay.select().where(event -> event.id() > lastEventId);
    }
}
