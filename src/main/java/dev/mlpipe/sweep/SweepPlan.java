package dev.mlpipe.sweep;

import java.util.List;
import java.util.Map;

import dev.mlpipe.config.PipelineSettings;
import dev.mlpipe.run.RunRequest;
import dev.mlpipe.run.RunSpec;

/**
 * A checked sweep: its steps in the order they run.
 *
 * @param pipeline the pipeline settings given for the whole sweep, or null
 * @param found the pipeline's settings before the sweep: restored after it
 * @param changesPipeline whether a step runs under other pipeline settings than those found
 */
record SweepPlan(RunRequest base, PipelineSettings.Change pipeline, Map<String, List<Integer>> vary, int repeats, Integer sloMs, PipelineSetup found,
        boolean changesPipeline, List<Point> points) {

    /**
     * One step before it runs, with what theory expects of it: a deterministic model of inferenceMs per item behind
     * a loader that offers one item every loadIntervalMs.
     *
     * @param at the step's value on each axis
     * @param series its value on the second axis of a grid (empty for one axis): steps of one series form a curve
     * @param pace items per second the run's loadIntervalMs sets; null when unpaced (as fast as the queue takes them)
     * @param ceiling items per second the model does at most; null when inference takes no time
     * @param predicted the lower of the two: where the loader outruns the model, the model's ceiling
     */
    record Point(int index, Map<String, Integer> at, Map<String, Integer> series, RunRequest run,
            PipelineSetup pipeline, Double pace, Double ceiling, Double predicted) {

        static Point of(int index, Map<String, Integer> at, Map<String, Integer> series, RunRequest run, RunSpec spec,
                PipelineSetup pipeline) {
            Double pace = spec.loadIntervalMs() == 0 ? null : 1000.0 / spec.loadIntervalMs();
            Double ceiling = pipeline.ceiling(spec.inferenceMs());
            // boxed throughout: a conditional of Double and double unboxes, and neither may be there
            Double predicted = pace == null ? ceiling
                    : ceiling == null ? pace : Double.valueOf(Math.min(pace, ceiling));
            return new Point(index, at, series, run, pipeline, pace, ceiling, predicted);
        }

        /** Whether theory has the loader outrun the model here: the queue fills and the model sets the pace. */
        boolean modelBound() {
            return ceiling != null && (pace == null || pace >= ceiling);
        }
    }
}
