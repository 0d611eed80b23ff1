package dev.mlpipe.api;

import java.util.ArrayList;
import java.util.List;

import dev.mlpipe.config.PipelineSettings;
import dev.mlpipe.model.LoadedModel;
import dev.mlpipe.model.Models;
import dev.mlpipe.model.onnx.TensorSpec;
import dev.mlpipe.problem.Problem;
import dev.mlpipe.run.RunRefused;
import dev.mlpipe.serve.ServingMetrics;
import dev.mlpipe.serve.V2Traffic;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/models}: the models, each with its own queue and batcher; {@code PUT /api/models/{name}} changes one
 * model's queue settings live, as {@code PUT /api/pipeline} does the simulated model's.
 */
@Path("/api/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "models", description = "The models behind the queues")
public class ModelResource {

    /**
     * @param backend {@code simulated} or {@code onnx}
     * @param inputs what the model is fed, as its file declares it (name, datatype, shape; -1 an open dimension);
     *        empty for the simulated backend
     * @param batched whether a batch is one call on a {@code [batch, ...]} tensor (else one call per item)
     * @param reading how its output rows are read (a class vector's argmax, or raw numbers), and why
     * @param depth items in its queue now
     * @param state {@code ready}: taking runs; {@code not-ready}: a remote model whose server has not yet said what
     *        it takes
     * @param why why it is not ready; null when it is
     * @param v2 its traffic over the Open Inference Protocol: requests since start, and the last few seconds' rate
     *        and 99th percentile latency
     */
    public record ModelView(String name, String backend, String state, String path, List<TensorSpec> inputs,
            List<TensorSpec> outputs, Boolean batched, Integer rowLength, String reading, Settings settings,
            int depth, String why, V2Traffic.Reading v2) {
    }

    /** The settings PUT changes, and those fixed at start. */
    public record Settings(int capacity, int concurrency, int maxBatchSize, double batchDelayMs, Integer inferenceMs,
            Double batchItemCost, double randomMin, double randomMax) {
    }

    private final Models models;
    private final ServingMetrics serving;

    ModelResource(Models models, ServingMetrics serving) {
        this.models = models;
        this.serving = serving;
    }

    @GET
    @Operation(summary = "The models: simulated first, then by name")
    public List<ModelView> list() {
        List<ModelView> views = new ArrayList<>(models.all().stream().map(this::view).toList());
        models.allNotReady().forEach((name, why) -> views.add(notReady(name, why)));
        return views;
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "One model")
    @APIResponse(responseCode = "404", description = "No such model",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ModelView get(@PathParam("name") String name) {
        return models.notReady(name).map(why -> notReady(name, why)).orElseGet(() -> view(find(name)));
    }

    /** On a worker thread: the change may admit waiting loaders and run the model's intake here. */
    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a model's queue capacity, concurrency and batching live",
            description = "As PUT /api/pipeline, for one model: each field optional, all change or none.")
    @RequestBody(required = false, content = @Content(schema = @Schema(implementation = PipelineSettings.Change.class)))
    @APIResponse(responseCode = "400", description = "Invalid input: the problem names each field and the rule it broke",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such model",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "With a broker, where the settings are not one process's to change",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public ModelView change(@PathParam("name") String name, @Valid PipelineSettings.Change change) {
        LoadedModel model = find(name);
        model.settings().change(change == null ? new PipelineSettings.Change(null, null, null, null) : change);
        return view(model);
    }

    private LoadedModel find(String name) {
        models.notReady(name).ifPresent(why -> {
            throw new RunRefused.ModelNotReady(name, why);
        });
        return models.find(name).orElseThrow(() -> new NotFoundException("no model named " + name + "; the models "
                + "are " + String.join(", ", models.names())));
    }

    private ModelView view(LoadedModel model) {
        PipelineSettings.Settings now = model.settings().now();
        boolean simulated = !model.isTensor();
        Settings settings = new Settings(now.capacity(), now.concurrency(), now.maxBatchSize(),
                now.batchDelayNanos() / 1e6, simulated ? model.inferenceMs() : null,
                simulated ? model.batchItemCost() : null, model.randomMin(), model.randomMax());
        String backend = model.backend().name().toLowerCase(java.util.Locale.ROOT);
        return model.tensor().map(t -> new ModelView(model.name(), backend, "ready", t.location(),
                List.of(t.info().input()), List.of(t.info().output()), t.info().batched(), t.info().rowLength(),
                t.reading().kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + t.reading().why(), settings,
                model.queue().depth(), null, serving.traffic(model.name())))
                .orElseGet(() -> new ModelView(model.name(), backend, "ready", null, List.of(), List.of(), null, null,
                        null, settings, model.queue().depth(), null, serving.traffic(model.name())));
    }

    private ModelView notReady(String name, String why) {
        return new ModelView(name, "v2", "not-ready", null, List.of(), List.of(), null, null, null, null, 0, why,
                serving.traffic(name));
    }
}
