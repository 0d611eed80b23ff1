package dev.mlpipe.run;

import java.util.LinkedHashSet;

import dev.mlpipe.config.MlpipeConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The memory all runs' kept results share ({@code mlpipe.stream.history-memory}). A run takes room a chunk of results
 * at a time; when there is none, the oldest finished runs' oldest results go first, then the oldest results of running
 * runs beyond their pace window. Each run's pace window is kept whatever the budget, so the budget can be exceeded by
 * at most the active runs' windows. Its lock also guards every run's table of chunks (taken once per chunk of 1,024
 * results, never while a run's lock is wanted).
 */
@Singleton
public class HistoryBudget {

    private final long limit;
    // guarded by this; oldest first
    private final LinkedHashSet<History> running = new LinkedHashSet<>();
    private final LinkedHashSet<History> finished = new LinkedHashSet<>();
    private long used;

    @Inject
    HistoryBudget(MlpipeConfig config) {
        this(config.stream().historyMemory().asLongValue());
    }

    public HistoryBudget(long limit) {
        this.limit = limit;
    }

    synchronized void started(History history) {
        running.add(history);
    }

    synchronized void finished(History history) {
        if (running.remove(history)) {
            finished.add(history);
        }
    }

    /** The run is forgotten: its results go, all of them. */
    synchronized void forget(History history) {
        running.remove(history);
        finished.remove(history);
        used -= history.evictAll();
    }

    /** A chunk of {@code history} that holds {@code needed} results at {@code index}, room made for it first. */
    synchronized History.Chunk grow(History history, int index, int needed) {
        long before = history.bytes();
        History.Chunk chunk = history.replaceChunk(index, needed);
        used += history.bytes() - before;
        while (used > limit && (evictFrom(finished, false) || evictFrom(running, true))) {
            // one chunk at a time, oldest first
        }
        return chunk;
    }

    /** Bytes of kept results now. */
    public synchronized long used() {
        return used;
    }

    public long limit() {
        return limit;
    }

    private boolean evictFrom(Iterable<History> histories, boolean running) {
        for (History history : histories) {
            long freed = history.evictOldest(running);
            if (freed > 0) {
                used -= freed;
                return true;
            }
        }
        return false;
    }
}
