package dev.mlpipe.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A sweep's steps as CSV, one row a step. The first columns are perf_analyzer's where they mean the same, in its
 * units (microseconds): {@code Server Queue} and {@code Server Compute Infer} are mean queue wait and inference, the
 * latencies are an item's total time from load to result. Ours follow.
 */
public final class SweepCsv {

    public static final String MEDIA_TYPE = "text/csv";

    private SweepCsv() {
    }

    public static String of(SweepView sweep) {
        List<String> axes = sweep.spec().vary().keySet().stream().filter(a -> !a.equals("concurrency")).toList();
        List<String> header = new ArrayList<>(List.of("Concurrency", "Inferences/Second", "Server Queue",
                "Server Compute Infer", "p50 latency", "p90 latency", "p95 latency", "p99 latency", "Step"));
        header.addAll(axes);
        header.addAll(List.of("Offered Load", "Predicted Inferences/Second", "Throughput Spread", "Unstable",
                "Mean Queue Depth", "Model Utilization", "Verdict", "Goodput Share", "Goodput/Second",
                "Little Difference"));
        StringBuilder csv = new StringBuilder(String.join(",", header)).append("\r\n");
        for (Step step : sweep.steps()) {
            List<String> row = new ArrayList<>();
            row.add(Integer.toString(step.pipeline().concurrency()));
            row.add(number(step.throughput()));
            row.add(micros(step.queueWaitMs() == null ? null : step.queueWaitMs().mean()));
            row.add(micros(step.inferenceMs() == null ? null : step.inferenceMs().mean()));
            Step.Latency total = step.totalMs();
            row.add(micros(total == null ? null : total.p50()));
            row.add(micros(total == null ? null : total.p90()));
            row.add(micros(total == null ? null : total.p95()));
            row.add(micros(total == null ? null : total.p99()));
            row.add(Integer.toString(step.index()));
            axes.forEach(axis -> row.add(String.valueOf(step.at().get(axis))));
            row.add(number(step.offeredLoad()));
            row.add(number(step.predictedThroughput()));
            row.add(number(step.spread().relative()));
            row.add(Boolean.toString(step.spread().unstable()));
            row.add(number(step.meanQueueDepth()));
            row.add(number(step.modelUtilization()));
            row.add(step.verdict().label());
            row.add(step.goodput() == null ? "" : number(step.goodput().share()));
            row.add(step.goodput() == null ? "" : number(step.goodput().perSecond()));
            row.add(number(step.littlesLaw().relativeDifference()));
            csv.append(row.stream().collect(Collectors.joining(","))).append("\r\n");
        }
        return csv.toString();
    }

    /** perf_analyzer writes whole microseconds. */
    private static String micros(Double ms) {
        return ms == null ? "" : Long.toString(Math.round(ms * 1000));
    }

    private static String number(Double value) {
        return value == null ? "" : String.format(Locale.ROOT, "%.3f", value);
    }
}
