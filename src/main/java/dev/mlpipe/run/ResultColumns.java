package dev.mlpipe.run;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import dev.mlpipe.model.Result;
import dev.mlpipe.model.ResultBlock;
import dev.mlpipe.queue.Expired;
import dev.mlpipe.queue.Failed;

/**
 * A run's kept results in load order, in {@link ResultChunk}s, and their eviction. One appender at a time (under its
 * run's lock) writes a result, then publishes it; readers read without a lock what is published: a result is written
 * before {@link #published} moves past it, and never changes afterwards. The table of chunks is replaced, and its
 * slots set and cleared, only under the {@link HistoryBudget}'s lock.
 */
final class ResultColumns {

    private final String runId;
    private final HistoryBudget budget;
    /** Results a running run keeps however full the budget is: its pace window. */
    private final int window;
    /** The position of the slowest lossless reader: what it has still to read is kept too. */
    private final LongSupplier slowestReader;
    /** Tells the readers some of the results were evicted; the budget runs it once its lock is let go. */
    private final Runnable evicted;

    // chunk table: replaced, and its slots set and cleared, only under the budget's lock
    private volatile ResultChunk[] chunks = new ResultChunk[4];
    /** Bytes of the kept chunks, as the budget counts them; under the budget's lock. */
    private long bytes;
    /** Results kept from this position on; the ones before it were evicted. */
    private volatile long firstKept;
    /** The seq of the newest evicted result: a gap ends there. */
    private volatile long lastEvictedSeq;
    /** Positions below it are readable. */
    private volatile long published;

    // the appender's, under its run's lock
    private long written;
    private String[] workerNames = new String[0];
    /** Indexes of the reasons in {@link #reasons}. */
    private final Map<String, Integer> reasonIndex = new HashMap<>();
    /**
     * The distinct reasons the run's failed items gave, by index; replaced whole before a failed item that adds one
     * is published, so a reader finds every index it reads. At most {@link #MAX_REASONS} and then one that says so.
     */
    private volatile String[] reasons = new String[0];
    /**
     * The batch id of the first result: the others are kept as their distance from it, in an int. Written before the
     * first result is published, never after.
     */
    private long batchBase;
    private boolean batchBaseSet;

    /** What one kept result takes, as the budget counts it: a tensor model's keeps its input and output rows too. */
    private final int bytesPerResult;
    private final boolean tensor;
    private final Labels labels = new Labels();

    ResultColumns(String runId, HistoryBudget budget, int window, LongSupplier slowestReader, Runnable evicted) {
        this(runId, budget, window, slowestReader, evicted, 0);
    }

    /** @param tensorBytes what a tensor model's result takes beyond the simulated one's; 0 for the simulated model */
    ResultColumns(String runId, HistoryBudget budget, int window, LongSupplier slowestReader, Runnable evicted,
            int tensorBytes) {
        this.tensor = tensorBytes > 0;
        this.bytesPerResult = ResultChunk.BYTES_PER_RESULT + tensorBytes;
        this.runId = runId;
        this.budget = budget;
        this.window = window;
        this.slowestReader = slowestReader;
        this.evicted = evicted;
    }

    // ---- the appender (its run's lock) --------------------------------------------------------------------------

    void append(Result result) {
        append(result, result.tensor() == null ? -1 : labels.indexOf(result.tensor().label()));
    }

    /** @param label the number of its tensor's label in {@link #labels()}; -1 for none */
    void append(Result result, int label) {
        long position = written;
        int slot = ResultChunk.slot(position);
        ResultChunk chunk = chunkFor(position, slot);
        if (!batchBaseSet) {
            batchBase = result.batchId();
            batchBaseSet = true;
        }
        chunk.put(slot, result, worker(chunk, result.worker()), batchOffset(result.batchId()));
        if (result.tensor() != null) {
            chunk.putTensor(slot, result, (short) label);
        }
        written = position + 1;
    }

    /** As {@link #append(Result, int)}, the {@code k}th result of a block, read from its columns. */
    void append(ResultBlock block, int k, int label, String workerName) {
        long position = written;
        int slot = ResultChunk.slot(position);
        ResultChunk chunk = chunkFor(position, slot);
        if (!batchBaseSet) {
            batchBase = block.batchId();
            batchBaseSet = true;
        }
        chunk.put(slot, block, k, worker(chunk, workerName), batchOffset(block.batchId()), (short) label);
        written = position + 1;
    }

    void append(Expired expired) {
        long position = written;
        int slot = ResultChunk.slot(position);
        chunkFor(position, slot).put(slot, expired);
        written = position + 1;
    }

    void append(Failed failed) {
        long position = written;
        int slot = ResultChunk.slot(position);
        chunkFor(position, slot).put(slot, failed, reason(failed.reason()));
        written = position + 1;
    }

    /** Failures are rare, but a broken dataset may fail every row: the distinct reasons kept per run are bounded. */
    static final int MAX_REASONS = 1024;
    static final String REASONS_FULL = "this run's failed items gave more than " + MAX_REASONS
            + " distinct reasons: this one was not kept (the service's log has it)";

    private int reason(String reason) {
        Integer index = reasonIndex.get(reason);
        if (index != null) {
            return index;
        }
        String[] now = reasons;
        if (now.length >= MAX_REASONS) {
            reason = REASONS_FULL;
            Integer full = reasonIndex.get(reason);
            if (full != null) {
                return full;
            }
        }
        String[] more = Arrays.copyOf(now, now.length + 1);
        more[now.length] = reason;
        reasonIndex.put(reason, now.length);
        reasons = more;
        return now.length;
    }

    /** The run's distinct labels: a tensor result keeps its label's number. */
    Labels labels() {
        return labels;
    }

    /** Makes the appended results readable. @return whether there were any */
    boolean publish() {
        if (published == written) {
            return false;
        }
        published = written;
        return true;
    }

    /**
     * A batch id as its distance from the run's first. In one process a run's batches are numbered in the order they
     * ran; from workers over a broker, each counts its own, so the distance is bounded to what an int holds.
     */
    private int batchOffset(long batchId) {
        long offset = batchId - batchBase;
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, offset));
    }

    private short worker(ResultChunk chunk, String name) {
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

    private ResultChunk chunkFor(long position, int slot) {
        int index = ResultChunk.index(position);
        ResultChunk[] table = chunks;
        ResultChunk chunk = index < table.length ? table[index] : null;
        if (chunk != null && slot < chunk.capacity()) {
            return chunk;
        }
        return budget.grow(this, index, slot + 1);
    }

    // ---- readers (no lock) --------------------------------------------------------------------------------------

    /** Results published: positions below it are readable. */
    long published() {
        return published;
    }

    long firstKept() {
        return firstKept;
    }

    long lastEvictedSeq() {
        return lastEvictedSeq;
    }

    /** The chunk that holds a position, or null if it was evicted. */
    ResultChunk chunk(long position) {
        ResultChunk[] table = chunks;
        int index = ResultChunk.index(position);
        return index < table.length ? table[index] : null;
    }

    /** The position of the first kept result with a seq above {@code id}. */
    long firstPositionAfter(long id) {
        long low = firstKept;
        long high = published;
        while (low < high) {
            long mid = (low + high) >>> 1;
            ResultChunk chunk = chunk(mid);
            if (chunk == null) { // evicted meanwhile: start from what is kept now
                return firstPositionAfter(id);
            }
            if (chunk.seqAt(mid) <= id) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** A reader's view of kept results, moved from one to the next. */
    ChunkRow row() {
        return new ChunkRow(this);
    }

    // ---- what a reader's row reads beside the chunks --------------------------------------------------------------

    String runId() {
        return runId;
    }

    /** The reason a failed item gave, by the index its row keeps. */
    String reason(int index) {
        return reasons[index];
    }

    /** Written before the first result is published: a reader of a published row sees it. */
    long batchBase() {
        return batchBase;
    }

    // ---- the budget (its lock) ----------------------------------------------------------------------------------

    /** A chunk that holds {@code needed} results at {@code index}, in place of the one there. */
    ResultChunk replaceChunk(int index, int needed) {
        ResultChunk[] table = chunks;
        if (index >= table.length) {
            table = Arrays.copyOf(table, Math.max(index + 1, table.length * 2));
        }
        ResultChunk old = table[index];
        // the first chunk grows from 16 results, so a short run stays small; the others are whole at once
        int capacity = index > 0 ? ResultChunk.SIZE
                : Math.min(ResultChunk.SIZE, Math.max(16, Integer.highestOneBit(needed - 1) << 1));
        ResultChunk grown = new ResultChunk(capacity, old, workerNames, tensor);
        bytes += (long) (capacity - (old == null ? 0 : old.capacity())) * bytesPerResult;
        table[index] = grown;
        chunks = table;
        return grown;
    }

    /**
     * Evicts the oldest kept chunk, if it may go. A running run keeps its pace window and what its lossless readers
     * have still to read; a finished run's results may all go (a lossless reader still reading them is then cut off,
     * and told so).
     *
     * @return bytes freed, 0 if nothing may go
     */
    long evictOldest(boolean running) {
        long from = firstKept;
        long readable = published;
        int index = ResultChunk.index(from);
        ResultChunk chunk = chunk(from);
        if (chunk == null || from >= readable) {
            return 0;
        }
        long chunkEnd = ((long) index << ResultChunk.BITS) + chunk.capacity();
        long keepFrom = running ? Math.min(readable - window - ResultChunk.SIZE, slowestReader.getAsLong()) : readable;
        if (chunkEnd > keepFrom) {
            return 0;
        }
        lastEvictedSeq = chunk.seq[chunk.capacity() - 1];
        firstKept = chunkEnd;
        chunks[index] = null;
        long freed = (long) chunk.capacity() * bytesPerResult;
        bytes -= freed;
        return freed;
    }

    /** Frees every chunk, as the run is forgotten. @return bytes freed */
    long evictAll() {
        long readable = published;
        if (readable > firstKept) {
            ResultChunk last = chunk(readable - 1);
            if (last != null) {
                lastEvictedSeq = last.seqAt(readable - 1);
            }
        }
        long freed = 0;
        ResultChunk[] table = chunks;
        for (int i = 0; i < table.length; i++) {
            if (table[i] != null) {
                freed += (long) table[i].capacity() * bytesPerResult;
                table[i] = null;
            }
        }
        firstKept = readable;
        bytes = 0;
        return freed;
    }

    /** Bytes this run's kept results take, as the budget counts them. */
    long bytes() {
        return bytes;
    }

    /** Run by the budget, under no lock, after it evicted some of these results. */
    void tellEvicted() {
        evicted.run();
    }
}
