package dev.mlpipe.observe;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.queue.ItemQueue;
import dev.mlpipe.run.Runs;
import dev.mlpipe.stream.EventStreamRoute;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/pipeline}: the service's settings and its live state. */
@Path("/api/pipeline")
@Produces(MediaType.APPLICATION_JSON)
public class PipelineResource {

    /**
     * @param depth items in the queue now, over all runs
     * @param subscribers clients connected to event streams now
     */
    public record Pipeline(int capacity, int depth, int concurrency, int inferenceMs, long activeRuns,
            int retainedRuns, long heartbeatMs, int history, int subscribers) {
    }

    private final ItemQueue queue;
    private final Runs runs;
    private final EventStreamRoute streams;
    private final MlpipeConfig config;

    PipelineResource(ItemQueue queue, Runs runs, EventStreamRoute streams, MlpipeConfig config) {
        this.queue = queue;
        this.runs = runs;
        this.streams = streams;
        this.config = config;
    }

    @GET
    public Pipeline get() {
        return new Pipeline(queue.capacity(), queue.depth(), config.model().concurrency(), config.model().inferenceMs(),
                runs.active(), config.runs().retained(), config.stream().heartbeat().toMillis(),
                config.stream().history(), streams.subscribers());
    }
}
