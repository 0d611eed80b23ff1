package dev.mlpipe.support;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.restassured.path.json.JsonPath;

/** What a run's result events say about its model slots, from the items' own times rather than the host's clock. */
public final class Inferences {

    private Inferences() {
    }

    /**
     * The most inferences in flight at one moment: each batch (its {@code batchId}) from its {@code startedUs} to its
     * {@code finishedUs}; one that starts the microsecond another finishes does not overlap it.
     */
    public static int peakOverlap(List<JsonPath> results) {
        Map<Long, long[]> batches = new LinkedHashMap<>();
        for (JsonPath result : results) {
            batches.putIfAbsent(result.getLong("batchId"),
                    new long[] { result.getLong("startedUs"), result.getLong("finishedUs") });
        }
        List<long[]> edges = new ArrayList<>(); // {time, +1 for a start or -1 for an end}
        for (long[] span : batches.values()) {
            edges.add(new long[] { span[0], 1 });
            edges.add(new long[] { span[1], -1 });
        }
        edges.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1])); // ends first
        int inFlight = 0;
        int peak = 0;
        for (long[] edge : edges) {
            inFlight += (int) edge[1];
            peak = Math.max(peak, inFlight);
        }
        return peak;
    }

    /** The peak overlap of a run that has ended, from its stream read again from the start. */
    public static int peakOverlap(String runId) {
        return peakOverlap(Api.results(Api.stream(runId)).stream().map(Api::data).toList());
    }
}
