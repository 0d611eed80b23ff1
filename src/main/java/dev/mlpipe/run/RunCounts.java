package dev.mlpipe.run;

/**
 * What became of a run's items, counted as it happens: once the run has ended, {@code loaded = processed + dropped +
 * cancelled + expired + failed}, which is where the cancelled come from. Guarded by its run's lock, except that the
 * loader's thread, which alone writes {@code loaded} and {@code dropped}, reads them without it ({@link #toCome}).
 */
final class RunCounts {

    private long loaded;
    /** Items that entered the queue: each is processed, unless the run ends first. */
    private long entered;
    private long processed;
    private long dropped;
    private long cancelled;
    private long expired;
    private long failed;

    /** One more item was loaded. @return its seq: a run's items are numbered from 1 as they are loaded */
    long load() {
        return ++loaded;
    }

    void addEntered() {
        entered++;
    }

    void addDropped() {
        dropped++;
    }

    void addProcessed() {
        processed++;
    }

    void addExpired() {
        expired++;
    }

    void addFailed() {
        failed++;
    }

    long loaded() {
        return loaded;
    }

    long processed() {
        return processed;
    }

    long dropped() {
        return dropped;
    }

    /** Items loaded that may still become results: all but the dropped. */
    long toCome() {
        return loaded - dropped;
    }

    /** Items in the queue or in inference, whose results are still awaited: each comes back once, one way or another. */
    long inFlight() {
        return entered - processed - expired - failed;
    }

    /** The run ended: what was loaded and neither came back nor was dropped is cancelled. @return how many */
    long end() {
        cancelled = loaded - processed - dropped - expired - failed;
        return cancelled;
    }

    RunView.Counts view() {
        return new RunView.Counts(loaded, processed, dropped, cancelled, expired, failed);
    }
}
