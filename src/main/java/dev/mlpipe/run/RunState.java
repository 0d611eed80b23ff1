package dev.mlpipe.run;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum RunState {
    @JsonProperty("running")
    RUNNING,
    @JsonProperty("completed")
    COMPLETED,
    @JsonProperty("cancelled")
    CANCELLED,
    @JsonProperty("failed")
    FAILED,
    /** Cut short because the service shut down. */
    @JsonProperty("interrupted")
    INTERRUPTED
}
