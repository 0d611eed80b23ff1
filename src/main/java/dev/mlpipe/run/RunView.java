package dev.mlpipe.run;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.mlpipe.load.ValueSource;
import dev.mlpipe.observe.RunStats;
import dev.mlpipe.queue.Overflow;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A run as the API shows it; the {@code end} and {@code stats} events carry the same.
 *
 * @param name the name its spec gave it, null for none
 * @param tags the tags its spec gave it, empty for none
 * @param sweepId the sweep that started it, null for a run started by itself
 * @param spec the spec it executes, with the seed it used; a given {@code items} list is shown by its size only
 * @param stats where the time went and who waited for whom, up to now or up to the end
 * @param workers items processed, by the {@code mlpipe.instance-id} of the process that did them
 * @param subscribers clients reading its event stream now
 */
@RegisterForReflection // also serialized into events, outside any REST signature
public record RunView(String id, String name, List<String> tags, String sweepId, RunState state, Spec spec,
        Counts counts, Queue queue, RunStats.Snapshot stats,
        Map<String, Long> workers, int subscribers, Instant createdAt, Instant endedAt, String failure,
        Accuracy accuracy) {

    /**
     * How a tensor model's predictions matched a labelled dataset's labels; null for other runs.
     *
     * @param accuracy correct over labelled, so far
     * @param confusion at the end only (null before): by label, the predictions made for it and how often
     */
    @RegisterForReflection
    public record Accuracy(long labelled, long correct, double accuracy, Map<String, Map<String, Long>> confusion) {
    }

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
     * @param meanDepth mean items in the model's queue over the run (every run's items), time-weighted
     * @param maxDepth most items in the model's queue at any moment of the run (every run's items): the same signal
     *        as {@code meanDepth}, so never below it
     * @param ownMeanDepth mean items of this run alone in the queue over the run, time-weighted: never above
     *        {@code meanDepth} in one process
     * @param ownMaxDepth most items of this run alone in the queue at any moment of the run: never above {@code maxDepth}
     *        in one process. With a broker, both count the run's items the broker confirmed and whose result has not
     *        come back (in its queue or at a worker), where the whole depth is the broker's queue sampled
     * @param depthByPriority items in the queue now (all runs), by priority, the first level's first
     */
    @RegisterForReflection
    public record Queue(int capacity, int depth, double meanDepth, int maxDepth, double ownMeanDepth, int ownMaxDepth,
            int[] depthByPriority) {
    }

    /**
     * @param min the smallest value drawn (a tensor model's may be a fraction), null when values are not drawn
     * @param deadlineMs null for none
     * @param model the model the run feeds
     * @param dataset the dataset it reads, with {@code repeat} passes; null for none
     */
    @RegisterForReflection
    public record Spec(Long seed, Number min, Number max, Integer sentinel, int maxItems, int loadIntervalMs,
            int inferenceMs, Overflow overflow, Integer itemCount, int priority, Integer deadlineMs, String model,
            String dataset, Integer repeat) {

        static Spec of(RunSpec spec) {
            Integer sentinel = spec.sentinel().isPresent() ? spec.sentinel().getAsInt() : null;
            Integer deadlineMs = spec.deadlineMs() == 0 ? null : spec.deadlineMs();
            Long seed = null;
            Number min = null;
            Number max = null;
            Integer itemCount = null;
            String dataset = null;
            Integer repeat = null;
            if (spec.source() instanceof ValueSource.RandomDraws draws) {
                seed = draws.seed();
                min = draws.min();
                max = draws.max();
            } else if (spec.source() instanceof ValueSource.ListedItems listed) {
                itemCount = listed.count();
            } else if (spec.source() instanceof ValueSource.RandomRows rows) {
                seed = rows.seed();
                min = rows.min();
                max = rows.max();
            } else if (spec.source() instanceof ValueSource.ListedRows rows) {
                itemCount = rows.count();
            } else if (spec.source() instanceof ValueSource.DatasetPasses passes) {
                dataset = passes.dataset().name();
                repeat = passes.repeat();
            }
            return new Spec(seed, min, max, sentinel, spec.maxItems(), spec.loadIntervalMs(), spec.inferenceMs(),
                    spec.overflow(), itemCount, spec.priority(), deadlineMs, spec.model(), dataset, repeat);
        }
    }
}
