package dev.mlpipe.run;

import java.time.Duration;
import java.util.Locale;

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

    /** A limit on what may be held at once is reached: answered 429, to be tried again once something has ended. */
    public abstract static sealed class TooMany extends RunRefused {
        TooMany(String message) {
            super(message);
        }
    }

    /** {@code mlpipe.runs.max-active} runs are active: try again once one has ended. */
    public static final class TooManyActiveRuns extends TooMany {
        TooManyActiveRuns(int limit) {
            super("already " + limit + " runs active (mlpipe.runs.max-active); try again when one has ended");
        }
    }

    /** The client has {@code mlpipe.limits.runs-per-client} runs active: one of them must end first. */
    public static final class TooManyRunsForClient extends TooMany {
        TooManyRunsForClient(Client client, int limit) {
            super(client + " has " + limit + " runs active already, the most one client may have "
                    + "(mlpipe.limits.runs-per-client); try again when one of them has ended, or cancel one");
        }
    }

    /** The clients at one address have {@code mlpipe.limits.runs-per-address} runs active between them. */
    public static final class TooManyRunsAtAddress extends TooMany {
        TooManyRunsAtAddress(String address, int limit) {
            super("address " + address + " has " + limit + " runs active already, of all its users together, the most "
                    + "one address may have (mlpipe.limits.runs-per-address); try again when one of them has ended");
        }
    }

    /** The client has {@code mlpipe.limits.streams-per-client} event streams open: one of them must close first. */
    public static final class TooManyStreamsForClient extends TooMany {
        TooManyStreamsForClient(Client client, int limit) {
            super(client + " has " + limit + " event streams open already, the most one client may have "
                    + "(mlpipe.limits.streams-per-client); try again when one of them has ended, or close one");
        }
    }

    /** The clients at one address have {@code mlpipe.limits.streams-per-address} event streams open between them. */
    public static final class TooManyStreamsAtAddress extends TooMany {
        TooManyStreamsAtAddress(String address, int limit) {
            super("address " + address + " has " + limit + " event streams open already, of all its users together, "
                    + "the most one address may have (mlpipe.limits.streams-per-address); try again when one has ended");
        }
    }

    /** The client's active runs and this one would take more than {@code mlpipe.limits.model-time-per-client}. */
    public static final class ModelTimeSpent extends TooMany {
        ModelTimeSpent(Client client, Duration held, Duration asked, Duration limit) {
            super(String.format(Locale.ROOT, "%s has active runs that may take %s of model time at worst, and this one "
                    + "%s more: beyond the %s one client may have (mlpipe.limits.model-time-per-client); try again "
                    + "when one of them has ended, cancel one, or ask for fewer items or shorter delays",
                    client, hours(held), hours(asked), hours(limit)));
        }

        private static String hours(Duration duration) {
            return String.format(Locale.ROOT, "%.1f h", duration.toMillis() / 3_600_000.0);
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

    /** The run's model is a remote one whose server has not yet said what it takes. */
    public static final class ModelNotReady extends RunRefused {
        public ModelNotReady(String model, String why) {
            super("model " + model + " is not ready: " + why);
        }
    }
}
