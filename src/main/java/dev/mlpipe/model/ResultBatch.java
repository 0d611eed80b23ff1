package dev.mlpipe.model;

import java.util.List;

import dev.mlpipe.queue.Expired;
import dev.mlpipe.queue.Failed;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a worker hands back for the items it took together: their results, the items that had waited past their run's
 * deadline when they reached it and were not run, and those that gave no result. One message per batch through a
 * broker.
 */
@RegisterForReflection // the payload of broker messages, outside any REST signature
public record ResultBatch(List<Result> results, List<Expired> expired, List<Failed> failed) {

    public ResultBatch {
        results = results == null ? List.of() : results;
        expired = expired == null ? List.of() : expired;
        failed = failed == null ? List.of() : failed;
    }

    public ResultBatch(List<Result> results) {
        this(results, List.of(), List.of());
    }
}
