package dev.mlpipe.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where a curve of steps (one series: the steps that share their second-axis value) saturates: measured, the first
 * step after which throughput grows by less than {@link #GROWTH} while p99 of the total time grows; predicted, the
 * first step where the loader outruns the model in theory.
 *
 * @param series the second axis' value of the curve; empty for a sweep of one axis
 * @param step the measured saturation point's step index; null when throughput kept growing
 * @param predictedStep the predicted one's; null when the model keeps up with every step in theory
 * @param reason the measured point in words
 */
@RegisterForReflection // serialized into sweep events, outside any REST signature
public record Saturation(Map<String, Integer> series, Integer step, Integer predictedStep, String reason) {

    public static final double GROWTH = 0.05;

    static List<Saturation> of(List<SweepPlan.Point> points, List<Step> steps) {
        Map<Map<String, Integer>, List<Integer>> curves = new LinkedHashMap<>();
        for (SweepPlan.Point point : points) {
            curves.computeIfAbsent(point.series(), s -> new ArrayList<>()).add(point.index());
        }
        List<Saturation> found = new ArrayList<>();
        curves.forEach((series, indexes) -> {
            Integer predicted = indexes.stream().filter(i -> points.get(i).modelBound()).findFirst().orElse(null);
            for (int k = 0; k + 1 < indexes.size(); k++) {
                Step at = steps.get(indexes.get(k));
                Step next = steps.get(indexes.get(k + 1));
                if (at.totalMs() != null && next.totalMs() != null && next.throughput() < (1 + GROWTH) * at.throughput()
                        && next.totalMs().p99() > at.totalMs().p99()) {
                    found.add(new Saturation(series, at.index(), predicted, String.format(Locale.ROOT,
                            "from step %d %s to step %d %s throughput went from %.1f to %.1f items/s (less than %d%% "
                                    + "more) while p99 went from %.1f to %.1f ms",
                            at.index(), at.at(), next.index(), next.at(), at.throughput(), next.throughput(),
                            Math.round(GROWTH * 100), at.totalMs().p99(), next.totalMs().p99())));
                    return;
                }
            }
            found.add(new Saturation(series, null, predicted, "throughput grew by at least "
                    + Math.round(GROWTH * 100) + "% from each step to the next, or p99 did not grow"));
        });
        return found;
    }
}
