package dev.mlpipe.run;

import java.time.Instant;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A run as the API shows it (and as the {@code end} event carries it).
 *
 * @param spec the spec it executes, with the seed it used; a given {@code items} list is shown by its size only
 */
@RegisterForReflection // also serialized into the end event, outside any REST signature
public record RunView(String id, RunState state, Spec spec, Counts counts, Queue queue, Instant createdAt,
        Instant endedAt, String failure) {

    /**
     * @param cancelled items loaded but neither processed nor dropped when the run was cancelled or failed: queued,
     *        in inference, or in the loader's hand; so {@code loaded = processed + dropped + cancelled} once it ended
     */
    @RegisterForReflection
    public record Counts(long loaded, long processed, long dropped, long cancelled) {
    }

    @RegisterForReflection
    public record Queue(int capacity, int maxDepth) {
    }

    @RegisterForReflection
    public record Spec(Long seed, Integer min, Integer max, int sentinel, int maxItems, int loadIntervalMs,
            int inferenceMs, Overflow overflow, Integer itemCount) {

        static Spec of(RunSpec spec) {
            return new Spec(spec.seed(), spec.min(), spec.max(), spec.sentinel(), spec.maxItems(),
                    spec.loadIntervalMs(), spec.inferenceMs(), spec.overflow(),
                    spec.items() == null ? null : spec.items().size());
        }
    }
}
