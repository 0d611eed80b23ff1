package dev.mlpipe.observe;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Who waits for whom in a run. The thresholds follow TensorFlow's input-pipeline analyzer, which calls a program
 * input-bound when it waits for input more than 20% of the time and not input-bound under 5%:
 * <ul>
 * <li>{@code reader-bound}: the loader waited for the run's slowest lossless client more than {@link #HIGH} of the
 * run: the readers set the pace;</li>
 * <li>{@code loader-bound}: the model waited for data (a slot free, the queue empty) more than {@link #HIGH} of the
 * run, its slots averaged, and longer than the loader waited for room;</li>
 * <li>{@code model-bound}: the loader waited for room, or dropped items for lack of it, more than {@link #HIGH} of
 * the run (waiting time share plus dropped share); or the queue was on average at least {@link #FULL} full while
 * the model idled under {@link #LOW};</li>
 * <li>{@code balanced}: neither.</li>
 * </ul>
 */
public enum Verdict {
    READER_BOUND("reader-bound"),
    MODEL_BOUND("model-bound"),
    LOADER_BOUND("loader-bound"),
    BALANCED("balanced");

    public static final double HIGH = 0.20;
    public static final double LOW = 0.05;
    public static final double FULL = 0.80;

    /**
     * Shares of a run's time (or of its items, for {@code dropped}) that each side waited.
     *
     * @param loaderBlocked the loader waited for room
     * @param dropped items dropped for lack of room
     * @param loaderPaced the loader waited for its slowest lossless client
     * @param modelIdle the model waited for an item
     */
    public record Shares(double loaderBlocked, double dropped, double loaderPaced, double modelIdle) {
    }

    /** The verdict and its reason in words. */
    public record Finding(Verdict verdict, String reason) {
    }

    private final String label;

    Verdict(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    /** @param meanDepth mean number of items in the queue */
    public static Finding of(Shares shares, double meanDepth, int capacity) {
        String depth = String.format(Locale.ROOT, "the queue held %.1f of %d items on average", meanDepth, capacity);
        double loaderBlocked = shares.loaderBlocked();
        double dropped = shares.dropped();
        double modelIdle = shares.modelIdle();
        double loaderWaited = loaderBlocked + dropped;
        if (shares.loaderPaced() > HIGH) {
            return new Finding(READER_BOUND, "the readers set the pace: the loader waited for its slowest client "
                    + percent(shares.loaderPaced()) + " of the time; " + depth);
        }
        if (modelIdle > HIGH && modelIdle >= loaderWaited) {
            return new Finding(LOADER_BOUND, "the model waited for data " + percent(modelIdle) + " of the time; " + depth);
        }
        if (loaderWaited > HIGH) {
            String why = dropped > loaderBlocked
                    ? percent(dropped) + " of the items were dropped because the queue was full"
                    : "the loader waited for room " + percent(loaderBlocked) + " of the time";
            return new Finding(MODEL_BOUND, why + "; " + depth);
        }
        if (meanDepth >= FULL * capacity && modelIdle < LOW) {
            return new Finding(MODEL_BOUND, depth + " and the model was never short of work");
        }
        return new Finding(BALANCED, "neither side waited much: the loader " + percent(loaderWaited) + ", the model "
                + percent(modelIdle) + " of the time; " + depth);
    }

    private static String percent(double share) {
        return Math.round(share * 100) + "%";
    }
}
