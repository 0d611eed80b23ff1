package dev.mlpipe.sweep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.mlpipe.config.PipelineSettings;
import dev.mlpipe.load.Datasets;
import dev.mlpipe.model.LoadedModel;
import dev.mlpipe.run.RunRefused;
import dev.mlpipe.run.RunRequest;
import dev.mlpipe.run.RunSpec;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * The body of {@code POST /api/sweeps}: a base run spec, one axis to vary (or two, a grid), repeats per step and an
 * optional latency target. {@link #plan} checks the rules across fields and lays out the steps.
 */
@Schema(name = "SweepSpec", description = "A sequence of runs that vary one or two numbers")
public record SweepRequest(
        @Schema(description = "The run spec every step starts from (as POST /api/runs takes it; default: the defaults)")
        @Valid RunRequest run,
        @Schema(description = "Pipeline settings for the whole sweep, as PUT /api/pipeline takes them; restored after it")
        @Valid PipelineSettings.Change pipeline,
        @Schema(description = "The axis to vary and its values, in order; a second axis makes a grid whose first axis "
                + "varies fastest. Axes: loadIntervalMs, inferenceMs, maxItems, priority, deadlineMs, seed, min, max (run "
                + "fields); capacity, concurrency, maxBatchSize, batchDelayMs (pipeline settings)")
        Map<String, List<Integer>> vary,
        @Schema(description = "Runs per step (default 3)", minimum = "1", maximum = "" + MAX_REPEATS)
        @Min(value = 1, message = "must be at least 1") @Max(value = MAX_REPEATS, message = "must be at most " + MAX_REPEATS) Integer repeats,
        @Schema(description = "Latency target of an item's total time: goodput counts the items within it",
                minimum = "1", maximum = "" + RunRequest.MAX_DELAY_MS)
        @Min(value = 1, message = "must be at least 1") @Max(value = RunRequest.MAX_DELAY_MS, message = "must be at most " + RunRequest.MAX_DELAY_MS) Integer sloMs,
        @Schema(description = "The model every run feeds and whose settings the pipeline axes vary (default simulated)")
        String model) {

    public static final int MAX_REPEATS = 10;
    public static final int DEFAULT_REPEATS = 3;

    /** The sweep's model, where its runs' datasets are found, and what its runs may take ({@code mlpipe.runs.*}, {@code mlpipe.sweeps.*}). */
    record Limits(LoadedModel model, Datasets datasets, Duration runMaxDuration, int maxSteps, Duration maxDuration) {
    }

    /**
     * The steps this sweep runs, each checked as a run would be.
     *
     * @throws RunRefused.InvalidField naming the first field that breaks a rule
     */
    SweepPlan plan(Validator validator, Limits limits, PipelineControl pipelines) {
        RunRequest base = run != null ? run : RunRequest.defaults();
        if (base.model() != null && !base.model().equals(limits.model().name())) {
            throw new RunRefused.InvalidField("run.model", "must be the sweep's model, " + limits.model().name()
                    + " (its top-level model), or left out");
        }
        base = base.withModel(limits.model().name());
        resolve(base, limits, "run.");
        PipelineSetup found = pipelines.current();
        if (pipeline != null) {
            pipelines.unavailable().ifPresent(why -> {
                throw new RunRefused.InvalidField("pipeline", "is not available yet: " + why);
            });
        }
        List<Axis> axes = axes(pipelines);
        List<List<Integer>> values = new ArrayList<>();
        long steps = 1;
        for (Axis axis : axes) {
            List<Integer> given = checkValues(axis, base, validator);
            values.add(given);
            steps *= given.size();
        }
        if (steps > limits.maxSteps()) {
            throw new RunRefused.InvalidField("vary", "makes " + steps + " steps, more than mlpipe.sweeps.max-steps ("
                    + limits.maxSteps() + ")");
        }
        int times = repeats != null ? repeats : DEFAULT_REPEATS;
        List<SweepPlan.Point> points = new ArrayList<>();
        long worstMs = 0;
        List<Integer> inner = values.get(0);
        List<Integer> outer = axes.size() > 1 ? values.get(1) : List.of(0);
        PipelineSetup start = pipeline == null ? found : found.with(pipeline); // the sweep's settings, the axes aside
        for (int o = 0; o < outer.size(); o++) {
            for (int i = 0; i < inner.size(); i++) {
                Map<String, Integer> at = new LinkedHashMap<>();
                at.put(axes.get(0).label(), inner.get(i));
                Map<String, Integer> series = new LinkedHashMap<>();
                RunRequest request = axes.get(0).apply(base, inner.get(i));
                PipelineSetup settings = axes.get(0).apply(start, inner.get(i));
                if (axes.size() > 1) {
                    at.put(axes.get(1).label(), outer.get(o));
                    series.put(axes.get(1).label(), outer.get(o));
                    request = axes.get(1).apply(request, outer.get(o));
                    settings = axes.get(1).apply(settings, outer.get(o));
                }
                RunSpec spec = resolveStep(request, limits, at);
                worstMs += times * spec.worstCase().toMillis();
                points.add(SweepPlan.Point.of(points.size(), at, series, request, spec, settings));
            }
        }
        if (worstMs > limits.maxDuration().toMillis()) {
            throw new RunRefused.InvalidField("vary", String.format(Locale.ROOT, "with repeats %d may last %.1f h at "
                    + "worst (all runs' items x (loadIntervalMs + inferenceMs, or a tensor model's mean time per "
                    + "item)), longer than mlpipe.sweeps.max-duration (%.1f h); vary fewer values, ask for fewer items "
                    + "or repeats", times, worstMs / 3_600_000.0,
                    limits.maxDuration().toMillis() / 3_600_000.0));
        }
        return new SweepPlan(base, pipeline, vary, times, sloMs, found, axes.stream().anyMatch(Axis::ofPipeline) || pipeline != null,
                points);
    }

    private List<Axis> axes(PipelineControl pipelines) {
        if (vary == null || vary.isEmpty()) {
            throw new RunRefused.InvalidField("vary", "must name one axis and its values (or two, a grid), such as "
                    + "{\"inferenceMs\": [5, 10, 20]}; axes: " + Axis.NAMES);
        }
        if (vary.size() > 2) {
            throw new RunRefused.InvalidField("vary", "names " + vary.size() + " axes; a sweep varies one, or two "
                    + "(a grid)");
        }
        List<Axis> axes = new ArrayList<>();
        for (String name : vary.keySet()) {
            Axis axis = Axis.named(name).orElseThrow(() -> new RunRefused.InvalidField("vary." + name,
                    "is not an axis; one of " + Axis.NAMES));
            if (axis.ofPipeline()) {
                pipelines.unavailable().ifPresent(why -> {
                    throw new RunRefused.InvalidField("vary." + name, "is not available yet: " + why);
                });
            }
            axes.add(axis);
        }
        return axes;
    }

    /**
     * Each value, set in the base run spec or alone as a change of the pipeline, keeps it valid: a wrong one is named
     * by its index.
     */
    private List<Integer> checkValues(Axis axis, RunRequest base, Validator validator) {
        String field = "vary." + axis.label();
        List<Integer> given = vary.get(axis.label());
        if (given == null || given.isEmpty()) {
            throw new RunRefused.InvalidField(field, "must hold at least one value");
        }
        for (int i = 0; i < given.size(); i++) {
            if (given.get(i) == null) {
                throw new RunRefused.InvalidField(field + "[" + i + "]", "must not be null");
            }
            Object checked = axis.ofPipeline() ? axis.change(given.get(i)) : axis.apply(base, given.get(i));
            Set<ConstraintViolation<Object>> violations = validator.validate(checked);
            if (!violations.isEmpty()) {
                throw new RunRefused.InvalidField(field + "[" + i + "]", violations.iterator().next().getMessage());
            }
        }
        return given;
    }

    /** A rule across fields that a step breaks names the step's axis when it is about it, else the axes as a whole. */
    private static RunSpec resolveStep(RunRequest request, Limits limits, Map<String, Integer> at) {
        try {
            return request.resolve(limits.model(), limits.datasets(), limits.runMaxDuration());
        } catch (RunRefused.InvalidField e) {
            String field = at.containsKey(e.field()) ? "vary." + e.field() : "vary";
            throw new RunRefused.InvalidField(field, "at " + at + ": " + e.field() + " " + e.rule());
        }
    }

    private static RunSpec resolve(RunRequest request, Limits limits, String prefix) {
        try {
            return request.resolve(limits.model(), limits.datasets(), limits.runMaxDuration());
        } catch (RunRefused.InvalidField e) {
            throw new RunRefused.InvalidField(prefix + e.field(), e.rule());
        }
    }
}
