package dev.mlpipe.run;

/**
 * Why a run was not started, or a client not given an event stream; the HTTP edge turns each into its problem answer.
 */
public abstract sealed class RunRefused extends RuntimeException {

    RunRefused(String message) {
        super(message, null, false, false);
    }

    /** A field of the run spec breaks a rule: the client's to fix. */
    public static final class InvalidField extends RunRefused {
        private final String field;
        private final String rule;

        public InvalidField(String field, String rule) {
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

    /** {@code mlpipe.runs.max-active} runs are active: try again once one has ended. */
    public static final class TooManyActiveRuns extends RunRefused {
        TooManyActiveRuns(int limit) {
            super("already " + limit + " runs active (mlpipe.runs.max-active); try again when one has ended");
        }
    }

    /** The client has {@code mlpipe.limits.runs-per-client} runs active: one of them must end first. */
    public static final class TooManyRunsForClient extends RunRefused {
        TooManyRunsForClient(Client client, int limit) {
            super(client + " has " + limit + " runs active already, the most one client may have "
                    + "(mlpipe.limits.runs-per-client); try again when one of them has ended, or cancel one");
        }
    }

    /** The client has {@code mlpipe.limits.streams-per-client} event streams open: one of them must close first. */
    public static final class TooManyStreamsForClient extends RunRefused {
        TooManyStreamsForClient(Client client, int limit) {
            super(client + " has " + limit + " event streams open already, the most one client may have "
                    + "(mlpipe.limits.streams-per-client); try again when one of them has ended, or close one");
        }
    }

    /** The service is shutting down. */
    public static final class ShuttingDown extends RunRefused {
        ShuttingDown() {
            super("the service is shutting down and starts no new runs");
        }
    }

    /** This process is a worker: it does inference for api processes and starts no runs. */
    public static final class NotAnApiProcess extends RunRefused {
        NotAnApiProcess() {
            super("this process is a worker (mlpipe.role=worker): it does inference only; start runs on an api process");
        }
    }
}
