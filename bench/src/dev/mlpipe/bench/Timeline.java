package dev.mlpipe.bench;

import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * What one client saw of a run it started and followed to the end ({@code POST} with
 * {@code Accept: text/event-stream}), from each result's own times: first loaded to last finished, the largest batch,
 * and each item's overhead (finished - enqueued - the inference: as asked, or for a tensor model as it ran), in
 * microseconds.
 */
record Timeline(long firstLoadedUs, long lastFinishedUs, int results, int largestBatch, long[] overheadUs) {

    static Timeline of(Client client, RunSpec spec) throws Exception {
        long firstLoaded = Long.MAX_VALUE;
        long lastFinished = 0;
        int largest = 0;
        List<Long> overhead = new ArrayList<>();
        try (Socket socket = client.follow(spec, "")) {
            Sse.Events events = new Sse.Events(socket.getInputStream());
            for (Sse.Event e; (e = events.next()) != null && !e.type().equals("end");) {
                if (e.type().equals("result")) {
                    long finished = Json.digits(e.data(), "finishedUs");
                    firstLoaded = Math.min(firstLoaded, Json.digits(e.data(), "loadedUs"));
                    lastFinished = Math.max(lastFinished, finished);
                    largest = Math.max(largest, (int) Json.digits(e.data(), "batchSize"));
                    long modelUs = spec.values() instanceof RunSpec.Dataset
                            ? finished - Json.digits(e.data(), "startedUs") // a tensor model's own time, as it ran
                            : spec.inferenceMs() * 1000L;
                    overhead.add(finished - Json.digits(e.data(), "enqueuedUs") - modelUs);
                }
            }
        }
        if (overhead.size() != spec.items()) {
            throw new IllegalStateException("received " + overhead.size() + " results of " + spec.items());
        }
        return new Timeline(firstLoaded, lastFinished, overhead.size(), largest,
                overhead.stream().mapToLong(Long::longValue).sorted().toArray());
    }

    long spanUs() {
        return lastFinishedUs - firstLoadedUs;
    }

    double percentile(double p) {
        return overheadUs[(int) Math.min(overheadUs.length - 1, overheadUs.length * p)];
    }
}
