package dev.mlpipe.run;

import java.util.LinkedHashSet;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.mlpipe.config.MlpipeConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * The memory all runs' kept results share ({@code mlpipe.stream.history-memory}). A run takes room a chunk of results
 * at a time; when there is none, the oldest finished runs' oldest results go first, then the oldest results of running
 * runs beyond their pace window. Each run's pace window is kept whatever the budget, so the budget can be exceeded by
 * at most the active runs' windows. Its lock also guards every run's table of chunks; it is taken once per chunk of
 * 1,024 results, and no reader's listener runs under it: the readers of an evicted run are told afterwards
 * ({@link #tellEvicted}).
 */
@Singleton
public class HistoryBudget {

    private final long limit;
    // guarded by this; oldest first
    private final LinkedHashSet<ResultColumns> running = new LinkedHashSet<>();
    private final LinkedHashSet<ResultColumns> finished = new LinkedHashSet<>();
    private long used;
    /** Runs some of whose results were evicted, whose readers are still to hear of it. */
    private final Queue<ResultColumns> evicted = new ConcurrentLinkedQueue<>();

    @Inject
    HistoryBudget(MlpipeConfig config) {
        this(config.stream().historyMemory().asLongValue());
    }

    public HistoryBudget(long limit) {
        this.limit = limit;
    }

    synchronized void started(ResultColumns columns) {
        running.add(columns);
    }

    synchronized void finished(ResultColumns columns) {
        if (running.remove(columns)) {
            finished.add(columns);
        }
    }

    /** The run is forgotten: its results go, all of them. */
    synchronized void forget(ResultColumns columns) {
        running.remove(columns);
        finished.remove(columns);
        used -= columns.evictAll();
    }

    /** A chunk of {@code columns} that holds {@code needed} results at {@code index}, room made for it first. */
    synchronized ResultChunk grow(ResultColumns columns, int index, int needed) {
        long before = columns.bytes();
        ResultChunk chunk = columns.replaceChunk(index, needed);
        used += columns.bytes() - before;
        while (used > limit && (evictFrom(finished, false) || evictFrom(running, true))) {
            // one chunk at a time, oldest first
        }
        return chunk;
    }

    /** Under no lock: tells the readers of the runs whose results were evicted (a reader behind them is cut or told). */
    void tellEvicted() {
        ResultColumns columns;
        while ((columns = evicted.poll()) != null) {
            columns.tellEvicted();
        }
    }

    /** Bytes of kept results now. */
    public synchronized long used() {
        return used;
    }

    public long limit() {
        return limit;
    }

    private boolean evictFrom(Iterable<ResultColumns> runs, boolean running) {
        for (ResultColumns columns : runs) {
            long freed = columns.evictOldest(running);
            if (freed > 0) {
                used -= freed;
                evicted.add(columns);
                return true;
            }
        }
        return false;
    }
}
