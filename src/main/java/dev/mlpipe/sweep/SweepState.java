package dev.mlpipe.sweep;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum SweepState {
    @JsonProperty("running")
    RUNNING,
    @JsonProperty("completed")
    COMPLETED,
    /** Cancelled by a client: its current run was cancelled with it. */
    @JsonProperty("cancelled")
    CANCELLED,
    /** A run could not start, or ended otherwise than completed. */
    @JsonProperty("failed")
    FAILED
}
