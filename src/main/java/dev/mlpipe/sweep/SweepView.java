package dev.mlpipe.sweep;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.mlpipe.config.PipelineSettings;
import dev.mlpipe.run.RunRequest;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A sweep as the API shows it; its {@code end} event carries the same.
 *
 * @param stepCount steps it runs in all; {@code steps} holds those finished
 * @param currentRun the run going now; null once it ended
 * @param saturation one per curve, once the sweep completed; empty before
 */
@RegisterForReflection // also serialized into events, outside any REST signature
public record SweepView(String id, SweepState state, Spec spec, int stepCount, List<Step> steps,
        List<Saturation> saturation, String currentRun, Instant createdAt, Instant endedAt, String failure) {

    /** What was asked: the base run spec and pipeline settings as given, the axes, repeats and the latency target. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Spec(RunRequest run, PipelineSettings.Change pipeline, Map<String, List<Integer>> vary, int repeats,
            Integer sloMs) {
    }
}
