package dev.mlpipe.sweep;

/** Why a sweep was not started; the HTTP edge turns each into its problem answer. */
public abstract sealed class SweepRefused extends RuntimeException {

    SweepRefused(String message) {
        super(message, null, false, false);
    }

    /** A field of the sweep breaks a rule: the client's to fix. */
    public static final class InvalidField extends SweepRefused {
        private final String field;
        private final String rule;

        InvalidField(String field, String rule) {
            super(field + " " + rule);
            this.field = field;
            this.rule = rule;
        }

        public String field() {
            return field;
        }

        public String rule() {
            return rule;
        }
    }

    /** Sweeps run one at a time, since each measures the pipeline alone. */
    public static final class SweepRunning extends SweepRefused {
        SweepRunning(String id) {
            super("sweep " + id + " is running; sweeps run one at a time, each measuring the pipeline alone: "
                    + "wait for it to end, or cancel it (DELETE /api/sweeps/" + id + ")");
        }
    }
}
