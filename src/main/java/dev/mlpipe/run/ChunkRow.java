package dev.mlpipe.run;

/**
 * A kept result in place, as a reader reads it: a position in one of a run's {@link ResultChunk}s, moved from result to
 * result. It reads only what its {@link ResultColumns} has published.
 */
final class ChunkRow implements ResultRow {
    private final ResultColumns columns;
    private ResultChunk chunk;
    private int at;

    ChunkRow(ResultColumns columns) {
        this.columns = columns;
    }

    ChunkRow at(ResultChunk in, long position) {
        this.chunk = in;
        this.at = ResultChunk.slot(position);
        return this;
    }

    @Override
    public String runId() {
        return columns.runId();
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
        return chunk.kind[at] == ResultChunk.HIGH;
    }

    @Override
    public boolean expired() {
        return chunk.kind[at] == ResultChunk.EXPIRED;
    }

    @Override
    public boolean failed() {
        return chunk.kind[at] == ResultChunk.FAILED;
    }

    @Override
    public String failureReason() {
        return failed() ? columns.reason(chunk.batch[at]) : null;
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
        return columns.batchBase() + chunk.batch[at];
    }

    @Override
    public int batchSize() {
        return chunk.batchSize[at];
    }

    @Override
    public boolean tensor() {
        return chunk.kind[at] == ResultChunk.TENSOR;
    }

    @Override
    public long row() {
        return chunk.value[at];
    }

    @Override
    public String prediction() {
        if (chunk.kind[at] != ResultChunk.TENSOR) {
            return high() ? "high" : "low";
        }
        short predicted = chunk.predicted[at];
        return predicted < 0 ? null : Integer.toString(predicted);
    }

    @Override
    public String label() {
        if (chunk.label == null || chunk.label[at] < 0) {
            return null;
        }
        return columns.labels().name(chunk.label[at]);
    }

    @Override
    public float[] input() {
        return chunk.inputs == null ? null : chunk.inputs[at];
    }

    @Override
    public float[] outputs() {
        return chunk.outputs(at);
    }
}
