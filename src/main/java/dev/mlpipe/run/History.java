package dev.mlpipe.run;

import java.util.Arrays;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.mlpipe.model.Result;
import dev.mlpipe.queue.Expired;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A run's kept events, as each of its clients reads them: its results in load order, in compact columns (some 60 bytes
 * a result, rather than an object and its JSON; JSON is written when a client reads), then its end. Each client
 * reads through a {@link Reader} at its own position.
 * <p>
 * A lossless reader gets every event. It sets the run's pace: the loader waits ({@link #mayLoad}) while it is the pace
 * window ({@code mlpipe.stream.history}) ahead of the slowest lossless reader, so what such a reader has still to
 * read is always among the newest results, which a running run always keeps. A live reader never holds the run up: one
 * that falls behind skips ahead, told by a {@code gap} event. Older results stay as long as the {@link HistoryBudget}
 * allows; a reader that asks for evicted ones gets a {@code gap} event first.
 * <p>
 * One thread appends at a time (the run's, under its lock); readers read without a lock: a result is written before
 * {@link #appended} is, and never changes afterwards.
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

    static final int CHUNK_BITS = 10;
    static final int CHUNK = 1 << CHUNK_BITS;
    // what a kept row is
    private static final byte LOW = 0;
    private static final byte HIGH = 1;
    private static final byte EXPIRED = 2;
    /** The columns of one kept result; the budget counts this much per result. */
    static final int BYTES_PER_RESULT = Integer.BYTES * 4 + Short.BYTES * 3 + 1 + Long.BYTES * 5;

    private final String runId;
    private final int window;
    private final HistoryBudget budget;
    private final Function<Object, String> json;
    private final AtomicInteger allReaders;
    private final CopyOnWriteArrayList<Reader> readers = new CopyOnWriteArrayList<>();
    private final AtomicInteger ownReaders = new AtomicInteger();

    // chunk table: replaced, and its slots set and cleared, only under the budget's lock
    private volatile Chunk[] chunks = new Chunk[4];
    /** Bytes of the kept chunks, as the budget counts them; under the budget's lock. */
    private long bytes;
    /** Results kept from this position on; the ones before it were evicted. */
    private volatile long firstKept;
    /** The seq of the newest evicted result: a gap ends there. */
    private volatile long lastEvictedSeq;
    /** Results appended: positions below it are readable. */
    private volatile long appended;
    private volatile long endId;
    private volatile String endJson;

    // the appender's, under the run's lock
    private long written;
    private String[] workerNames = new String[0];
    /**
     * The batch id of the first result: the others are kept as their distance from it, in an int. Written before the
     * first result is published, never after.
     */
    private long batchBase;
    private boolean batchBaseSet;

    // pacing, guarded by paceLock
    private final Object paceLock = new Object();
    private volatile long paceLimit = Long.MAX_VALUE; // the loader reads it without the lock
    private Runnable pausedLoader;
    private volatile long resumeAt = Long.MAX_VALUE;

    public History(String runId, int window, HistoryBudget budget, Function<Object, String> json,
            AtomicInteger allReaders) {
        this.runId = runId;
        this.window = window;
        this.budget = budget;
        this.json = json;
        this.allReaders = allReaders;
        budget.started(this);
    }

    // ---- appending (the run's lock) -----------------------------------------------------------------------------

    /** Adds a released result (the run does, under its lock); readers see it after {@link #publish}. */
    public void append(Result result) {
        long position = written;
        int slot = (int) (position & (CHUNK - 1));
        Chunk chunk = chunkFor(position, slot);
        chunk.seq[slot] = (int) result.seq();
        chunk.value[slot] = result.value();
        chunk.kind[slot] = "high".equals(result.prediction()) ? HIGH : LOW;
        chunk.score[slot] = (short) Math.round(result.score() * 10_000);
        chunk.depth[slot] = result.queueDepth();
        chunk.loaded[slot] = result.loadedUs();
        chunk.enqueued[slot] = result.enqueuedUs();
        chunk.dequeued[slot] = result.dequeuedUs();
        chunk.started[slot] = result.startedUs();
        chunk.finished[slot] = result.finishedUs();
        chunk.worker[slot] = worker(chunk, result.worker());
        if (!batchBaseSet) {
            batchBase = result.batchId();
            batchBaseSet = true;
        }
        chunk.batch[slot] = batchOffset(result.batchId());
        chunk.batchSize[slot] = (short) Math.max(0, Math.min(Short.MAX_VALUE, result.batchSize()));
        written = position + 1;
    }

    /**
     * Adds an item that expired in the queue, in its place among the results: its row has the item's times up to when
     * it left the queue, and no prediction, worker or batch.
     */
    public void append(Expired expired) {
        long position = written;
        int slot = (int) (position & (CHUNK - 1));
        Chunk chunk = chunkFor(position, slot);
        chunk.seq[slot] = (int) expired.seq();
        chunk.value[slot] = expired.item().value();
        chunk.kind[slot] = EXPIRED;
        chunk.depth[slot] = expired.item().queueDepth();
        chunk.loaded[slot] = expired.item().loadedUs();
        chunk.enqueued[slot] = expired.item().enqueuedUs();
        chunk.dequeued[slot] = expired.atUs();
        chunk.started[slot] = expired.atUs();
        chunk.finished[slot] = expired.atUs();
        written = position + 1;
    }

    /**
     * A batch id as its distance from the run's first. In one process a run's batches are numbered in the order they
     * ran; from workers over a broker, each counts its own, so the distance is bounded to what an int holds.
     */
    private int batchOffset(long batchId) {
        long offset = batchId - batchBase;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, offset));
    }

    /** Makes the appended results readable and tells the readers. */
    public void publish() {
        if (appended != written) {
            appended = written;
            signalAll();
        }
    }

    /** The last event: after it, readers have nothing more to read. */
    public void end(long id, Object view) {
        publish();
        endId = id;
        endJson = json.apply(view);
        budget.finished(this);
        signalAll();
    }

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
        return loaded < paceLimit;
    }

    /** Items the loader may still load before it must look at its readers again, {@code loaded} being loaded. */
    long paceRoom(long loaded) {
        return Math.max(0, paceLimit - loaded);
    }

    /**
     * Whether the loader may load another item, {@code loaded} of its items (those not dropped) having been loaded:
     * not while that is a window ahead of the slowest lossless reader. If not, {@code resume} runs once the slowest has
     * read a quarter of the window.
     */
    public boolean mayLoad(long loaded, Runnable resume) {
        if (loaded < paceLimit) {
            return true;
        }
        synchronized (paceLock) {
            // the threshold is published before the readers' positions are read, and a reader publishes its position
            // before it reads the threshold: one of the two always sees the other, so no wake-up is missed
            resumeAt = loaded - window + Math.max(1, window / 4);
            pausedLoader = resume;
            long slowest = slowestLossless();
            paceLimit = slowest == Long.MAX_VALUE ? Long.MAX_VALUE : slowest + window;
            if (loaded < paceLimit) {
                pausedLoader = null;
                resumeAt = Long.MAX_VALUE;
                return true;
            }
            return false;
        }
    }

    /** A reader moved, or left: the loader may go on if it was waiting for it. */
    private void readerMoved(long position) {
        if (position < resumeAt) {
            return;
        }
        Runnable resume = null;
        synchronized (paceLock) {
            if (pausedLoader != null) {
                long slowest = slowestLossless();
                if (slowest >= resumeAt) {
                    paceLimit = slowest == Long.MAX_VALUE ? Long.MAX_VALUE : slowest + window;
                    resume = pausedLoader;
                    pausedLoader = null;
                    resumeAt = Long.MAX_VALUE;
                }
            }
        }
        if (resume != null) {
            resume.run();
        }
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

    // ---- reading ------------------------------------------------------------------------------------------------

    /**
     * A new reader, positioned after {@code lastEventId}; it is paced by, and paces, nothing until it is opened.
     *
     * @param listener told, on whatever thread, that the reader may have something to read
     */
    public Reader reader(Mode mode, long lastEventId, Runnable listener) {
        return new Reader(mode, lastEventId, listener);
    }

    /** Readers now. */
    public int readers() {
        return ownReaders.get();
    }

    /** Whether the run has ended and a reader that has seen this id has seen everything. */
    public boolean seenAll(long lastEventId) {
        return endJson != null && lastEventId >= endId;
    }

    /** The position of the first kept result with a seq above {@code id}. */
    private long firstPositionAfter(long id) {
        long low = firstKept;
        long high = appended;
        while (low < high) {
            long mid = (low + high) >>> 1;
            Chunk chunk = chunk(mid);
            if (chunk == null) { // evicted meanwhile: start from what is kept now
                return firstPositionAfter(id);
            }
            if (chunk.seq[(int) (mid & (CHUNK - 1))] <= id) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private Chunk chunk(long position) {
        Chunk[] table = chunks;
        int index = (int) (position >>> CHUNK_BITS);
        return index < table.length ? table[index] : null;
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
        private final Cursor row = new Cursor();
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
            long evicted = lastEvictedSeq;
            if (lastEventId < evicted) {
                pendingGap = gap(lastEventId + 1, evicted, "events " + (lastEventId + 1) + " to " + evicted
                        + " are no longer kept (the oldest results go first when the memory set by "
                        + "mlpipe.stream.history-memory is full); the kept ones follow");
            }
            this.position = firstPositionAfter(lastEventId);
        }

        /** Starts reading: from now on a lossless reader paces the run. */
        public Reader open() {
            if (open.compareAndSet(false, true)) {
                readers.add(this);
                ownReaders.incrementAndGet();
                allReaders.incrementAndGet();
                if (mode == Mode.LOSSLESS) {
                    synchronized (paceLock) {
                        paceLimit = Math.min(paceLimit, position + window); // the loader rechecks at once
                    }
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
                readerMoved(Long.MAX_VALUE);
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
            if (cut != null && !(position >= appended && endJson != null)) {
                return Outcome.CUT; // a reader with nothing left but the end gets the end
            }
            long ready = appended;
            long from = position;
            if (from < firstKept) {
                if (mode == Mode.LOSSLESS && handedOver) {
                    cut = "evicted";
                    return Outcome.CUT;
                }
                from = skipTo(firstKept, lastEvictedSeq, "events " + (lastEventId + 1) + " to " + lastEvictedSeq
                        + " are no longer kept (the oldest results go first when the memory set by "
                        + "mlpipe.stream.history-memory is full); the kept ones follow");
            }
            if (mode == Mode.LIVE && ready - from > max) {
                long to = ready - max;
                Chunk chunk = chunk(to);
                long nextSeq = chunk == null ? lastEventId + 1 : chunk.seq[(int) (to & (CHUNK - 1))];
                from = skipTo(to, nextSeq - 1, "this live stream skipped events " + (lastEventId + 1) + " to "
                        + (nextSeq - 1) + " to keep up with the run; counts and statistics come with the stats events");
            }
            if (pendingGap != null) {
                out.gap(pendingGap);
                pendingGap = null;
            }
            long to = Math.min(ready, from + max);
            for (long p = from; p < to; p++) {
                Chunk chunk = chunk(p);
                if (chunk == null) { // evicted as we read: the next read says so
                    to = p;
                    break;
                }
                int slot = (int) (p & (CHUNK - 1));
                if (chunk.seq[slot] > seenUpTo) {
                    out.result(row.at(chunk, slot));
                    lastEventId = chunk.seq[slot];
                    handedOver = true;
                }
            }
            position = to;
            readerMoved(to);
            String newest = stats;
            if (newest != null) {
                stats = null;
                out.stats(newest);
            }
            if (to < appended) {
                return Outcome.MORE;
            }
            String end = endJson;
            if (end != null && to == appended) {
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

    // ---- storage (the budget's lock for the chunk table) --------------------------------------------------------

    private Chunk chunkFor(long position, int slot) {
        int index = (int) (position >>> CHUNK_BITS);
        Chunk[] table = chunks;
        Chunk chunk = index < table.length ? table[index] : null;
        if (chunk != null && slot < chunk.capacity()) {
            return chunk;
        }
        return budget.grow(this, index, slot + 1);
    }

    /** Under the budget's lock: a chunk that holds {@code needed} results at {@code index}; @return its size change */
    Chunk replaceChunk(int index, int needed) {
        Chunk[] table = chunks;
        if (index >= table.length) {
            table = Arrays.copyOf(table, Math.max(index + 1, table.length * 2));
        }
        Chunk old = table[index];
        // the first chunk grows from 16 results, so a short run stays small; the others are whole at once
        int capacity = index > 0 ? CHUNK : Math.min(CHUNK, Math.max(16, Integer.highestOneBit(needed - 1) << 1));
        Chunk grown = new Chunk(capacity, old, workerNames);
        bytes += (long) (capacity - (old == null ? 0 : old.capacity())) * BYTES_PER_RESULT;
        table[index] = grown;
        chunks = table;
        return grown;
    }

    /**
     * Under the budget's lock: evicts the oldest kept chunk, if it may go. A running run keeps its pace window and what
     * its lossless readers have still to read; a finished run's results may all go (a lossless reader still reading
     * them is then cut off, and told so).
     *
     * @return bytes freed, 0 if nothing may go
     */
    long evictOldest(boolean running) {
        long from = firstKept;
        long published = appended;
        int index = (int) (from >>> CHUNK_BITS);
        Chunk chunk = chunk(from);
        if (chunk == null || from >= published) {
            return 0;
        }
        long chunkEnd = ((long) index << CHUNK_BITS) + chunk.capacity();
        long keepFrom = running ? Math.min(published - window - CHUNK, slowestLossless()) : published;
        if (chunkEnd > keepFrom) {
            return 0;
        }
        lastEvictedSeq = chunk.seq[chunk.capacity() - 1];
        firstKept = chunkEnd;
        chunks[index] = null;
        signalAll(); // a reader behind it learns it at its next read
        long freed = (long) chunk.capacity() * BYTES_PER_RESULT;
        bytes -= freed;
        return freed;
    }

    /** Under the budget's lock: frees every chunk, as the run is forgotten. @return bytes freed */
    long evictAll() {
        long published = appended;
        if (published > firstKept) {
            Chunk last = chunk(published - 1);
            if (last != null) {
                lastEvictedSeq = last.seq[(int) ((published - 1) & (CHUNK - 1))];
            }
        }
        long freed = 0;
        Chunk[] table = chunks;
        for (int i = 0; i < table.length; i++) {
            if (table[i] != null) {
                freed += (long) table[i].capacity() * BYTES_PER_RESULT;
                table[i] = null;
            }
        }
        firstKept = published;
        bytes = 0;
        return freed;
    }

    /** Bytes this run's kept results take, as the budget counts them; under the budget's lock. */
    long bytes() {
        return bytes;
    }

    String runId() {
        return runId;
    }

    private short worker(Chunk chunk, String name) {
        String[] names = workerNames;
        for (int i = names.length - 1; i >= 0; i--) {
            if (names[i].equals(name)) {
                return (short) i;
            }
        }
        names = Arrays.copyOf(names, names.length + 1);
        names[names.length - 1] = name;
        workerNames = names;
        chunk.workers = names;
        return (short) (names.length - 1);
    }

    /** A kept result in place: a position in a chunk, moved from result to result. */
    private final class Cursor implements ResultRow {
        private Chunk chunk;
        private int at;

        Cursor at(Chunk in, int index) {
            this.chunk = in;
            this.at = index;
            return this;
        }

        @Override
        public String runId() {
            return runId;
        }

        @Override
        public long seq() {
            return chunk.seq[at];
        }

        @Override
        public int value() {
            return chunk.value[at];
        }

        @Override
        public boolean high() {
            return chunk.kind[at] == HIGH;
        }

        @Override
        public boolean expired() {
            return chunk.kind[at] == EXPIRED;
        }

        @Override
        public int scoreTenThousandths() {
            return chunk.score[at];
        }

        @Override
        public int queueDepth() {
            return chunk.depth[at];
        }

        @Override
        public long loadedUs() {
            return chunk.loaded[at];
        }

        @Override
        public long enqueuedUs() {
            return chunk.enqueued[at];
        }

        @Override
        public long dequeuedUs() {
            return chunk.dequeued[at];
        }

        @Override
        public long startedUs() {
            return chunk.started[at];
        }

        @Override
        public long finishedUs() {
            return chunk.finished[at];
        }

        @Override
        public String worker() {
            return chunk.workers[chunk.worker[at]];
        }

        @Override
        public long batchId() {
            return batchBase + chunk.batch[at];
        }

        @Override
        public int batchSize() {
            return chunk.batchSize[at];
        }
    }

    /** Up to {@link #CHUNK} results, a column per field. */
    static final class Chunk {
        final int[] seq;
        final int[] value;
        /** High, low or expired. */
        final byte[] kind;
        final short[] score;
        final int[] depth;
        final long[] loaded;
        final long[] enqueued;
        final long[] dequeued;
        final long[] started;
        final long[] finished;
        final short[] worker;
        final int[] batch;
        final short[] batchSize;
        /** Names of the workers, by the index {@link #worker} holds. */
        volatile String[] workers;

        Chunk(int capacity, Chunk from, String[] workers) {
            seq = from == null ? new int[capacity] : Arrays.copyOf(from.seq, capacity);
            value = from == null ? new int[capacity] : Arrays.copyOf(from.value, capacity);
            kind = from == null ? new byte[capacity] : Arrays.copyOf(from.kind, capacity);
            score = from == null ? new short[capacity] : Arrays.copyOf(from.score, capacity);
            depth = from == null ? new int[capacity] : Arrays.copyOf(from.depth, capacity);
            loaded = from == null ? new long[capacity] : Arrays.copyOf(from.loaded, capacity);
            enqueued = from == null ? new long[capacity] : Arrays.copyOf(from.enqueued, capacity);
            dequeued = from == null ? new long[capacity] : Arrays.copyOf(from.dequeued, capacity);
            started = from == null ? new long[capacity] : Arrays.copyOf(from.started, capacity);
            finished = from == null ? new long[capacity] : Arrays.copyOf(from.finished, capacity);
            worker = from == null ? new short[capacity] : Arrays.copyOf(from.worker, capacity);
            batch = from == null ? new int[capacity] : Arrays.copyOf(from.batch, capacity);
            batchSize = from == null ? new short[capacity] : Arrays.copyOf(from.batchSize, capacity);
            this.workers = workers;
        }

        int capacity() {
            return seq.length;
        }
    }
}
