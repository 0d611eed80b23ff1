package dev.mlpipe.api;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.config.PipelineSettings;
import dev.mlpipe.broker.BrokerWatch;
import dev.mlpipe.problem.Problem;
import dev.mlpipe.queue.ItemQueue;
import dev.mlpipe.run.HistoryBudget;
import dev.mlpipe.run.Runs;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /api/pipeline}: the service's settings and its live state; {@code PUT} changes some settings live. */
@Path("/api/pipeline")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "pipeline", description = "The service's settings and live state")
public class PipelineResource {

    /**
     * @param capacity places in the queue now: with concurrency, maxBatchSize and batchDelayMs, what PUT changes
     * @param depth items in the queue now, over all runs
     * @param maxBatchSize {@code mlpipe.models.simulated.max-batch-size}: items the model runs as one inference at most
     * @param batchDelayMs {@code mlpipe.models.simulated.batch-delay}: how long a batch that is not full may wait to fill
     * @param batchItemCost {@code mlpipe.models.simulated.batch-item-cost}: what each item beyond a batch's first adds to its time
     * @param history a run's pace window, in results ({@code mlpipe.stream.history})
     * @param historyMemory bytes all runs' kept results may take ({@code mlpipe.stream.history-memory})
     * @param historyBytes bytes they take now
     * @param subscribers clients connected to event streams now
     * @param role {@code mlpipe.role}: all, api or worker
     * @param instanceId {@code mlpipe.instance-id}: this process, as results and metrics name it
     * @param broker the RabbitMQ link, null when the stages are linked in process
     */
    public record Pipeline(int capacity, int depth, int concurrency, int inferenceMs, int maxBatchSize,
            double batchDelayMs, double batchItemCost, long activeRuns,
            int retainedRuns, long heartbeatMs, long statsIntervalMs, long stallTimeoutMs, int history,
            long historyMemory, long historyBytes, int subscribers, String role, String instanceId,
            BrokerWatch.Status broker) {
    }

    private final ItemQueue queue;
    private final Runs runs;
    private final MlpipeConfig config;
    private final PipelineSettings settings;
    private final BrokerWatch broker;
    private final HistoryBudget budget;

    PipelineResource(ItemQueue queue, Runs runs, MlpipeConfig config, PipelineSettings settings, BrokerWatch broker,
            HistoryBudget budget) {
        this.queue = queue;
        this.runs = runs;
        this.config = config;
        this.settings = settings;
        this.broker = broker;
        this.budget = budget;
    }

    @GET
    @Operation(summary = "Settings and live state: capacity, depth, concurrency, active runs, subscribers, role, broker")
    public Pipeline get() {
        PipelineSettings.Settings now = settings.now();
        return new Pipeline(queue.capacity(), queue.depth(), now.concurrency(), config.simulated().inferenceMs(),
                now.maxBatchSize(), now.batchDelayNanos() / 1e6,
                config.simulated().batchItemCost(), runs.active(), config.runs().retained(), config.stream().heartbeat().toMillis(),
                config.stream().statsInterval().toMillis(), config.stream().stallTimeout().toMillis(),
                config.stream().history(), budget.limit(), budget.used(), runs.subscribers(), config.role().label(),
                config.instanceId(), broker.status());
    }

    /**
     * On a worker thread, Quarkus' default for a plain return value: the change may admit waiting loaders and run the
     * model's intake here.
     */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change the queue's capacity and the model's concurrency and batching live",
            description = "Each field is optional; all change or none. A smaller capacity removes no item: new items "
                    + "wait until the depth is below it. Fewer slots take effect as batches in flight end; the batch "
                    + "size and delay apply from the next batch. Answers the settings and state as GET does.")
    @RequestBody(required = false, content = @Content(schema = @Schema(implementation = PipelineSettings.Change.class)))
    @APIResponse(responseCode = "200", description = "Changed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Pipeline.class)))
    @APIResponse(responseCode = "400", description = "Invalid input: the problem names each field and the rule it broke",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "With a broker, where the settings are not one process's to change",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Pipeline change(@Valid PipelineSettings.Change change) {
        settings.change(change == null ? new PipelineSettings.Change(null, null, null, null) : change);
        return get();
    }
}
