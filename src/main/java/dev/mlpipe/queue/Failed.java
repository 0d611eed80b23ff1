package dev.mlpipe.queue;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An item that was taken for inference and gave no result: its inference failed (a row the model refuses, an error of
 * the model's runtime), or, with a broker, its delivery failed as many times as allowed. Its run counts it
 * {@code failed}, streams it as a {@code failed} event in its place, and goes on.
 *
 * @param atUs when it failed (microseconds since the epoch)
 * @param reason what went wrong, as a user can read it
 */
@RegisterForReflection // in the results a worker sends over the broker, outside any REST signature
public record Failed(Item item, long atUs, String reason) implements Returned {

    /** A reason is cut to this many characters: it is kept with the run's results and sent to every reader. */
    public static final int MAX_REASON = 300;

    public Failed {
        reason = reason == null || reason.isBlank() ? "no reason given" : reason;
        if (reason.length() > MAX_REASON) {
            reason = reason.substring(0, MAX_REASON - 3) + "...";
        }
    }

    @Override
    public String runId() {
        return item.runId();
    }

    @Override
    public long seq() {
        return item.seq();
    }
}
