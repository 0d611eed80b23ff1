package dev.mlpipe.model;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** Results handed from the model to the runs together: one message per batch, in one process or through a broker. */
@RegisterForReflection // the payload of broker messages, outside any REST signature
public record ResultBatch(List<Result> results) {
}
