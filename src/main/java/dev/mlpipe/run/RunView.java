package dev.mlpipe.run;

import java.time.Instant;
import java.util.Map;

import dev.mlpipe.load.ValueSource;
import dev.mlpipe.observe.RunStats;
import dev.mlpipe.queue.Overflow;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A run as the API shows it; the {@code end} and {@code stats} events carry the same.
 *
 * @param spec the spec it executes, with the seed it used; a given {@code items} list is shown by its size only
 * @param stats where the time went and who waited for whom, up to now or up to the end
 * @param workers items processed, by the {@code mlpipe.instance-id} of the process that did them
 * @param subscribers clients reading its event stream now
 */
@RegisterForReflection // also serialized into events, outside any REST signature
public record RunView(String id, RunState state, Spec spec, Counts counts, Queue queue, RunStats.Snapshot stats,
        Map<String, Long> workers, int subscribers, Instant createdAt, Instant endedAt, String failure) {

    /**
     * @param expired items that waited in the queue longer than the run's {@code deadlineMs} and were not run
     * @param cancelled items loaded but neither processed, dropped, expired nor failed when the run was cancelled or
     *        failed: queued, in inference, or in the loader's hand; so {@code loaded = processed + failed + dropped +
     *        cancelled + expired} once it ended
     * @param failed items taken for inference that gave no result (their inference failed, or their delivery did as
     *        often as allowed); the run went on without them
     */
    @RegisterForReflection
    public record Counts(long loaded, long processed, long dropped, long cancelled, long expired, long failed) {
    }

    /**
     * @param depth items in the queue now (all runs; at the end, when the run ended)
     * @param meanDepth mean items in the queue over the run, time-weighted
     * @param maxDepth most items in the queue when one of this run's items entered it
     * @param depthByPriority items in the queue now (all runs), by priority, the first level's first
     */
    @RegisterForReflection
    public record Queue(int capacity, int depth, double meanDepth, int maxDepth, int[] depthByPriority) {
    }

    @RegisterForReflection
    /** @param deadlineMs null for none */
    public record Spec(Long seed, Integer min, Integer max, Integer sentinel, int maxItems, int loadIntervalMs,
            int inferenceMs, Overflow overflow, Integer itemCount, int priority, Integer deadlineMs) {

        static Spec of(RunSpec spec) {
            Integer sentinel = spec.sentinel().isPresent() ? spec.sentinel().getAsInt() : null;
            Integer deadlineMs = spec.deadlineMs() == 0 ? null : spec.deadlineMs();
            if (spec.source() instanceof ValueSource.RandomDraws draws) {
                return new Spec(draws.seed(), draws.min(), draws.max(), sentinel, spec.maxItems(),
                        spec.loadIntervalMs(), spec.inferenceMs(), spec.overflow(), null, spec.priority(), deadlineMs);
            }
            ValueSource.ListedItems listed = (ValueSource.ListedItems) spec.source();
            return new Spec(null, null, null, sentinel, spec.maxItems(), spec.loadIntervalMs(), spec.inferenceMs(),
                    spec.overflow(), listed.count(), spec.priority(), deadlineMs);
        }
    }
}
