package dev.mlpipe.sweep;

/**
 * Why a sweep was not started, beyond a field breaking a rule (a {@code run.RunRefused.InvalidField}, as for a run); the
 * HTTP edge turns each into its problem answer.
 */
public abstract sealed class SweepRefused extends RuntimeException {

    SweepRefused(String message) {
        super(message, null, false, false);
    }

    /** Sweeps run one at a time, since each measures the pipeline alone. */
    public static final class SweepRunning extends SweepRefused {
        SweepRunning(String id) {
            super("sweep " + id + " is running; sweeps run one at a time, each measuring the pipeline alone: "
                    + "wait for it to end, or cancel it (DELETE /api/sweeps/" + id + ")");
        }
    }
}
