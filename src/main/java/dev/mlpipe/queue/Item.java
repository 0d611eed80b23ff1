package dev.mlpipe.queue;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.mlpipe.config.Priority;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One data item on its way from a run's loader to the model: the payload of the items link to a broker, so plain JSON.
 *
 * @param seq position in the run's load order, from 1; dropped items use up their number too
 * @param inferenceMs how long the model works on this item (the run's setting travels with it)
 * @param priority the run's level: 1 is taken first, {@link #Priority.LEVELS} last
 * @param deadlineMs how long it may wait in the queue before it expires unrun; 0 for as long as it takes
 * @param loadedUs when the loader drew it (microseconds since the epoch)
 * @param enqueuedUs when it entered the queue, after any wait for room; 0 before
 * @param queueDepth items in the queue right after this one entered
 * @param tensor the row a tensor model is fed; null for the simulated model, which reads {@code value} (and then left
 *        out of the JSON)
 */
@RegisterForReflection // the payload of broker messages, outside any REST signature
public record Item(String runId, long seq, int value, int inferenceMs, int priority, int deadlineMs, long loadedUs,
        long enqueuedUs, int queueDepth, @JsonInclude(JsonInclude.Include.NON_NULL) TensorRow tensor) {

    /** An item of the simulated model. */
    public Item(String runId, long seq, int value, int inferenceMs, int priority, int deadlineMs, long loadedUs,
            long enqueuedUs, int queueDepth) {
        this(runId, seq, value, inferenceMs, priority, deadlineMs, loadedUs, enqueuedUs, queueDepth, null);
    }

    /** A run's id: what the api makes, and all a worker takes. */
    public static final String RUN_ID_PATTERN = "[0-9a-f]{12}";
    public static final String RUN_ID_RULE = "must be a run id: 12 lowercase hexadecimal digits";
    /** The longest inference a run may ask for. */
    public static final int MAX_INFERENCE_MS = 60_000;
    /** The longest deadline a run may set: an hour. */
    public static final int MAX_DEADLINE_MS = 3_600_000;
    private static final Pattern RUN_ID = Pattern.compile(RUN_ID_PATTERN);

    /** A new id for a run or a v2 request: what its items carry, and the results come back under. */
    public static String newRunId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(4);
    }

    public static Item loaded(String runId, long seq, int value, int inferenceMs, int priority, int deadlineMs,
            long loadedUs) {
        return new Item(runId, seq, value, inferenceMs, priority, deadlineMs, loadedUs, 0, 0, null);
    }

    /** An item of a tensor model, fed {@code tensor}. */
    public static Item loaded(String runId, long seq, TensorRow tensor, int priority, int deadlineMs, long loadedUs) {
        return new Item(runId, seq, 0, 0, priority, deadlineMs, loadedUs, 0, 0, tensor);
    }

    /** An item of the default priority and no deadline. */
    public static Item loaded(String runId, long seq, int value, int inferenceMs, long loadedUs) {
        return loaded(runId, seq, value, inferenceMs, Priority.DEFAULT, 0, loadedUs);
    }

    /**
     * What makes this item one no run could have made, naming the field and its rule; null if there is nothing. An item
     * from the broker is untrusted input: anyone who can publish to the items queue can send anything.
     */
    public String flaw() {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            return "runId " + RUN_ID_RULE;
        }
        if (seq < 1) {
            return "seq must be at least 1";
        }
        if (inferenceMs < 0 || inferenceMs > MAX_INFERENCE_MS) {
            return "inferenceMs must be within 0 and " + MAX_INFERENCE_MS;
        }
        if (priority < 1 || priority > Priority.LEVELS) {
            return "priority must be within 1 and " + Priority.LEVELS;
        }
        if (deadlineMs < 0 || deadlineMs > MAX_DEADLINE_MS) {
            return "deadlineMs must be within 0 and " + MAX_DEADLINE_MS;
        }
        if (loadedUs < 0 || enqueuedUs < 0 || queueDepth < 0) {
            return "loadedUs, enqueuedUs and queueDepth must not be negative";
        }
        if (tensor instanceof TensorRow.Values row && row.values() == null) {
            return "tensor.values must be a row of float32 values";
        }
        return null;
    }

    /** The same item as it entered the queue. */
    public Item enqueued(long atUs, int depth) {
        return new Item(runId, seq, value, inferenceMs, priority, deadlineMs, loadedUs, atUs, depth, tensor);
    }

    /** When it expires if still queued (microseconds since the epoch); never without a deadline. */
    public long expiresUs() {
        return deadlineMs == 0 ? Long.MAX_VALUE : enqueuedUs + deadlineMs * 1_000L;
    }
}
