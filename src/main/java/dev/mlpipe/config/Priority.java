package dev.mlpipe.config;

/**
 * A run's priority levels, as Triton's {@code priority_levels}: the model always takes the oldest item of the first
 * level that has one, and a waiting loader of a first level gets a free place before one of a later level.
 */
public final class Priority {

    /** Levels 1 (first) to this one (last). */
    public static final int LEVELS = 5;
    /** A run that names no priority: in the middle, so that a run may go before it or after it. */
    public static final int DEFAULT = 3;

    private Priority() {
    }
}
