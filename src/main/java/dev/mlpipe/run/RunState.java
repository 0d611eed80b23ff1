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
    FAILED
}
