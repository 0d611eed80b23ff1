package dev.mlpipe.sweep;

import java.util.Optional;

/**
 * The one way a sweep reads and changes the running pipeline's settings: it applies a step's settings before the
 * step's runs and the settings it found once it ends.
 */
public interface PipelineControl {

    /** The settings the pipeline runs with now. */
    PipelineSetup current();

    /** Changes the running pipeline to {@code settings}; only called when {@link #unavailable()} is empty. */
    void apply(PipelineSetup settings);

    /** Why this service cannot change its pipeline's settings while it runs; empty when {@link #apply} works. */
    Optional<String> unavailable();
}
