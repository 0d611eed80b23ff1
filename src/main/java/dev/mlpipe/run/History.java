package dev.mlpipe.run;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.mlpipe.model.Result;
import dev.mlpipe.model.ResultBlock;
import dev.mlpipe.queue.Expired;
import dev.mlpipe.queue.Failed;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A run's events as its clients read them: its results in load order (kept in {@link ResultColumns}), then its end.
 * Each client reads through a {@link Reader} at its own position. A lossless reader gets every event and sets the
 * run's pace ({@link PaceGate}); a live reader never holds the run up: one that falls behind skips ahead, told by a
 * {@code gap} event. A reader that asks for evicted results gets a {@code gap} event first.
 * <p>
 * The appender changes what there is to read under its run's lock ({@link #append}, {@link #publish}, {@link #end})
 * and tells the readers after letting it go ({@link #tellReaders}): a reader's listener runs under no lock of the
 * run's (see the package's lock order).
 */
public final class History {

    public enum Mode {
        /** Every event, and the run waits for it. */
        LOSSLESS,
        /** The newest events; never holds the run up. */
        LIVE
    }

    /** How a read left its reader. */
    public enum Outcome {
        /** More is ready now. */
        MORE,
        /** It has read everything there is; its listener is told when more comes. */
        CAUGHT_UP,
        /** It has read the end event: the stream is complete. */
        END,
        /** The server ends this stream before its end event, for {@link Reader#cutReason()}. */
        CUT
    }

    /** What a reader hands its client, in order; the stream's encoder implements it. */
    public interface Events {
        void result(ResultRow row);

        /** Events the client will not get: {@link Gap} as JSON. */
        void gap(String json);

        void end(long id, String json);

        void stats(String json);
    }

    /** What a {@code gap} event says: the ids skipped, and why. */
    @RegisterForReflection // serialized by hand into events, outside any REST signature
    public record Gap(long firstMissed, long lastMissed, String message) {
    }

    private static final String EVICTED = " are no longer kept (the oldest results go first when the memory set by "
            + "mlpipe.stream.history-memory is full); the kept ones follow";

    private final HistoryBudget budget;
    private final Function<Object, String> json;
    private final AtomicInteger allReaders;
    private final CopyOnWriteArrayList<Reader> readers = new CopyOnWriteArrayList<>();
    private final AtomicInteger ownReaders = new AtomicInteger();
    private final ResultColumns columns;
    private final PaceGate pace;
    private volatile long endId;
    private volatile String endJson;
    /** Counts the appender's changes readers must hear of; written under its lock. */
    private volatile long changes;
    /** The changes the readers have been told of. */
    private volatile long told;

    public History(String runId, int window, HistoryBudget budget, Function<Object, String> json,
            AtomicInteger allReaders) {
        this(runId, window, budget, json, allReaders, 0);
    }

    /** @param tensorBytes what a tensor model's kept result takes beyond a simulated one's; 0 for the simulated model */
    public History(String runId, int window, HistoryBudget budget, Function<Object, String> json,
            AtomicInteger allReaders, int tensorBytes) {
        this.budget = budget;
        this.json = json;
        this.allReaders = allReaders;
        this.pace = new PaceGate(window, this::slowestLossless);
        this.columns = new ResultColumns(runId, budget, window, this::slowestLossless, this::signalAll, tensorBytes);
        budget.started(columns);
    }

    // ---- the appender: under the run's lock, then tellReaders under none ----------------------------------------

    /** Adds a released result; readers see it after {@link #publish}. */
    public void append(Result result) {
        columns.append(result);
    }

    /** As {@link #append(Result)}, its tensor's label already numbered in {@link #labels()} (-1: none). */
    void append(Result result, int label) {
        columns.append(result, label);
    }

    /** As {@link #append(Result, int)}, the {@code k}th result of a block, under the worker name the run counts. */
    void append(ResultBlock block, int k, int label, String worker) {
        columns.append(block, k, label, worker);
    }

    /** The run's distinct labels, numbered as its kept results hold them. */
    Labels labels() {
        return columns.labels();
    }

    /**
     * Adds an item that expired in the queue, in its place among the results: its row has the item's times up to when
     * it left the queue, and no prediction, worker or batch.
     */
    public void append(Expired expired) {
        columns.append(expired);
    }

    /** Adds an item that failed, in its place among the results, with its reason: no prediction, worker or batch. */
    public void append(Failed failed) {
        columns.append(failed);
    }

    /** Makes the appended results readable; the readers hear of them at {@link #tellReaders}. */
    public void publish() {
        if (columns.publish()) {
            changes++;
        }
    }

    /** The last event: after it, readers have nothing more to read. They hear of it at {@link #tellReaders}. */
    public void end(long id, Object view) {
        publish();
        endId = id;
        endJson = json.apply(view);
        budget.finished(columns);
        changes++;
    }

    /**
     * Under no lock: tells the readers what was published or ended since they were last told, and the readers of runs
     * whose results this run's appends evicted.
     */
    public void tellReaders() {
        long now = changes;
        if (now != told) {
            told = now;
            signalAll();
        }
        budget.tellEvicted();
    }

    /** The run is forgotten: its results go, all of them. */
    void forget() {
        budget.forget(columns);
    }

    // ---- the run's other news (no lock) -------------------------------------------------------------------------

    /** The run's live view for every reader: each gets the newest when it next writes. */
    public void publishStats(Object view) {
        if (readers.isEmpty()) {
            return;
        }
        String text = json.apply(view);
        for (Reader reader : readers) {
            reader.stats = text;
            reader.signal();
        }
    }

    /** The server ends every stream of this run now, for {@code reason}. */
    public void cutAll(String reason) {
        for (Reader reader : readers) {
            reader.cut(reason);
        }
    }

    // ---- pacing (the loader's thread) ---------------------------------------------------------------------------

    /** The loader's quick look, once per item: whether it is well inside its pace window. */
    boolean withinPace(long loaded) {
        return pace.within(loaded);
    }

    /** Items the loader may still load before it must look at its readers again, {@code loaded} being loaded. */
    long paceRoom(long loaded) {
        return pace.room(loaded);
    }

    /** @see PaceGate#mayLoad */
    public boolean mayLoad(long loaded, Runnable resume) {
        return pace.mayLoad(loaded, resume);
    }

    // ---- reading ------------------------------------------------------------------------------------------------

    /**
     * A new reader, positioned after {@code lastEventId}; it is paced by, and paces, nothing until it is opened.
     *
     * @param listener told, on whatever thread and under no lock of the run's, that the reader may have something to
     *        read
     */
    public Reader reader(Mode mode, long lastEventId, Runnable listener) {
        return new Reader(mode, lastEventId, listener);
    }

    /**
     * Hands {@code each} every result kept and published now, in load order, through one cursor it must not keep: an
     * export's read, which paces nothing and is paced by nothing. Results evicted while it reads are left out.
     *
     * @return the results handed over
     */
    public long forEachKept(Consumer<ResultRow> each) {
        ChunkRow row = columns.row();
        long to = columns.published();
        long handed = 0;
        for (long p = columns.firstKept(); p < to; p++) {
            ResultChunk chunk = columns.chunk(p);
            if (chunk == null) { // evicted meanwhile: go on from the oldest still kept, if any is
                long kept = columns.firstKept();
                if (kept <= p) {
                    break;
                }
                p = kept - 1;
                continue;
            }
            each.accept(row.at(chunk, p));
            handed++;
        }
        return handed;
    }

    /** Readers now. */
    public int readers() {
        return ownReaders.get();
    }

    /** Whether the run has ended and a reader that has seen this id has seen everything. */
    public boolean seenAll(long lastEventId) {
        return endJson != null && lastEventId >= endId;
    }

    private long slowestLossless() {
        long slowest = Long.MAX_VALUE;
        for (Reader reader : readers) {
            if (reader.mode == Mode.LOSSLESS) {
                slowest = Math.min(slowest, reader.position);
            }
        }
        return slowest;
    }

    private void signalAll() {
        for (Reader reader : readers) {
            reader.signal();
        }
    }

    /** One client's position in the run's events. */
    public final class Reader {
        private final Mode mode;
        private final Runnable listener;
        private final ChunkRow row = columns.row();
        private final AtomicBoolean open = new AtomicBoolean();
        /** The next result to read. */
        private volatile long position;
        private volatile String stats;
        private volatile String cut;
        /** Results with a seq up to this were seen before (Last-Event-ID). */
        private final long seenUpTo;
        private long lastEventId;
        private String pendingGap;
        private boolean handedOver;

        private Reader(Mode mode, long lastEventId, Runnable listener) {
            this.mode = mode;
            this.listener = listener;
            this.seenUpTo = lastEventId;
            this.lastEventId = lastEventId;
            long evicted = columns.lastEvictedSeq();
            if (lastEventId < evicted) {
                pendingGap = gap(lastEventId + 1, evicted, "events " + (lastEventId + 1) + " to " + evicted + EVICTED);
            }
            this.position = columns.firstPositionAfter(lastEventId);
        }

        /** Starts reading: from now on a lossless reader paces the run. */
        public Reader open() {
            if (open.compareAndSet(false, true)) {
                readers.add(this);
                ownReaders.incrementAndGet();
                allReaders.incrementAndGet();
                if (mode == Mode.LOSSLESS) {
                    pace.opened(position);
                }
            }
            return this;
        }

        /** The client has gone: it no longer paces the run. */
        public void close() {
            if (open.compareAndSet(true, false)) {
                readers.remove(this);
                ownReaders.decrementAndGet();
                allReaders.decrementAndGet();
                pace.moved(Long.MAX_VALUE);
            }
        }

        public Mode mode() {
            return mode;
        }

        /** The id of the last event this reader handed over. */
        public long lastEventId() {
            return lastEventId;
        }

        /** Why the server ends this stream early, once {@link #read} said {@link Outcome#CUT}. */
        public String cutReason() {
            return cut;
        }

        /** The server ends this stream now, for {@code reason}. */
        public void cut(String reason) {
            if (cut == null) {
                cut = reason;
            }
            signal();
        }

        void signal() {
            listener.run();
        }

        /**
         * Hands the client what there is, up to {@code max} results: a gap first if there is one, then results, the
         * newest stats, and the end once everything before it is handed over. A live reader with more than
         * {@code max} results waiting skips to the newest {@code max}, and says so with a gap.
         */
        public Outcome read(Events out, int max) {
            if (cut != null && !(position >= columns.published() && endJson != null)) {
                return Outcome.CUT; // a reader with nothing left but the end gets the end
            }
            long ready = columns.published();
            long from = position;
            if (from < columns.firstKept()) {
                if (mode == Mode.LOSSLESS && handedOver) {
                    cut = "evicted";
                    return Outcome.CUT;
                }
                long lastMissed = columns.lastEvictedSeq();
                from = skipTo(columns.firstKept(), lastMissed,
                        "events " + (lastEventId + 1) + " to " + lastMissed + EVICTED);
            }
            if (mode == Mode.LIVE && ready - from > max) {
                long to = ready - max;
                ResultChunk chunk = columns.chunk(to);
                long nextSeq = chunk == null ? lastEventId + 1 : chunk.seqAt(to);
                from = skipTo(to, nextSeq - 1, "this live stream skipped events " + (lastEventId + 1) + " to "
                        + (nextSeq - 1) + " to keep up with the run; counts and statistics come with the stats events");
            }
            if (pendingGap != null) {
                out.gap(pendingGap);
                pendingGap = null;
            }
            long to = Math.min(ready, from + max);
            for (long p = from; p < to; p++) {
                ResultChunk chunk = columns.chunk(p);
                if (chunk == null) { // evicted as we read: the next read says so
                    to = p;
                    break;
                }
                int seq = chunk.seqAt(p);
                if (seq > seenUpTo) {
                    out.result(row.at(chunk, p));
                    lastEventId = seq;
                    handedOver = true;
                }
            }
            position = to;
            pace.moved(to);
            String newest = stats;
            if (newest != null) {
                stats = null;
                out.stats(newest);
            }
            long published = columns.published();
            if (to < published) {
                return Outcome.MORE;
            }
            String end = endJson;
            if (end != null && to == published) {
                lastEventId = endId;
                out.end(endId, end);
                return Outcome.END;
            }
            return Outcome.CAUGHT_UP;
        }

        private long skipTo(long to, long lastMissed, String message) {
            if (lastMissed > lastEventId) {
                pendingGap = gap(lastEventId + 1, lastMissed, message);
                lastEventId = lastMissed;
            }
            return to;
        }

        private String gap(long first, long last, String message) {
            return json.apply(new Gap(first, last, message));
        }
    }
}
