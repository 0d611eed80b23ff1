package dev.mlpipe.api;

import java.net.URI;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.mlpipe.observe.LatencyDistribution;
import dev.mlpipe.observe.RunSeries;
import dev.mlpipe.problem.Problem;
import dev.mlpipe.run.Run;
import dev.mlpipe.run.RunRequest;
import dev.mlpipe.run.RunView;
import dev.mlpipe.run.Runs;
import dev.mlpipe.stream.Clients;
import dev.mlpipe.stream.ResultExport;
import io.vertx.ext.web.RoutingContext;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

@Path("/api/runs")
@Produces({ MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE })
@Tag(name = "runs", description = "Start, watch and cancel pipeline runs")
@APIResponse(responseCode = "400", description = "Invalid input: the problem names each field and the rule it broke",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class RunResource {

    /** RunState's names, as a client writes them. */
    private static final String STATES = "running|completed|cancelled|failed|interrupted";
    private static final String CSV = ResultExport.CSV_TYPE;
    private static final String JSONL = ResultExport.JSONL_TYPE;
    private static final String FORMAT_RULE = "must be csv or jsonl";

    private final Runs runs;

    RunResource(Runs runs) {
        this.runs = runs;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a run", description = "The body is optional and so is each of its fields, but the "
            + "request is always application/json (an empty body too). With "
            + "Accept: text/event-stream the answer is the run's event stream instead (see GET /api/runs/{id}/events), "
            + "its first comment naming the run.")
    @RequestBody(required = false, content = @Content(schema = @Schema(implementation = RunRequest.class)))
    @APIResponse(responseCode = "201", description = "Started; Location names the run",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "415", description = "A request that is not application/json, even with no body",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Too many runs active: mlpipe.runs.max-active in all, "
            + "mlpipe.limits.runs-per-client or mlpipe.limits.model-time-per-client of this client, or "
            + "mlpipe.limits.runs-per-address of its address (with Accept: text/event-stream also the streams' limits); "
            + "the problem names the setting, Retry-After the seconds to wait",
            headers = @Header(name = "Retry-After", schema = @Schema(type = SchemaType.INTEGER)),
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "The service is shutting down",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response start(@Valid RunRequest spec, @Context RoutingContext request) {
        Run run = runs.start(spec == null ? RunRequest.defaults() : spec, Clients.of(request));
        return Response.created(URI.create("/api/runs/" + run.id())).entity(run.view()).build();
    }

    @GET
    @Operation(summary = "All kept runs, newest first", description = "Each filter given narrows the list: a run in "
            + "that state, with that tag, started by that sweep")
    @APIResponse(responseCode = "200", description = "The runs",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView[].class)))
    public List<RunView> list(
            @QueryParam("state") @Parameter(description = "running, completed, cancelled, failed or interrupted")
            @Pattern(regexp = STATES, message = "must be one of running, completed, cancelled, failed, interrupted")
            String state,
            @QueryParam("tag") @Parameter(description = "a tag the run has")
            @Pattern(regexp = RunRequest.TAG_PATTERN, message = "must be a tag: 1 to 32 characters of a-z, 0-9 and -")
            String tag,
            @QueryParam("sweep") @Parameter(description = "the id of the sweep that started the run")
            @Pattern(regexp = SweepResource.ID_PATTERN, message = SweepResource.ID_RULE) String sweep) {
        return runs.newestFirst().stream().map(Run::view)
                .filter(run -> state == null || run.state().name().equalsIgnoreCase(state))
                .filter(run -> tag == null || run.tags().contains(tag))
                .filter(run -> sweep == null || sweep.equals(run.sweepId()))
                .toList();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One run: state, spec, counts, queue, statistics and verdict")
    @APIResponse(responseCode = "200", description = "The run",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "404", description = "No such run (or evicted)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RunView get(@PathParam("id") @Parameter(description = "12 lowercase hex digits")
    @Pattern(regexp = Runs.ID_PATTERN, message = Runs.ID_RULE) String id) {
        return find(id).view();
    }

    @GET
    @Path("{id}/series")
    @Operation(summary = "A run over time: a point per stats interval", description = "Items processed and per "
            + "second, total latency p50 and p99, the queue's depth (fewest, time-weighted mean, most) and the mean "
            + "batch size of each mlpipe.stream.stats-interval of the run, up to now or up to its end; at most 2000 "
            + "points, neighbours merged pairwise (merge says how many intervals a point spans) for longer runs.")
    @APIResponse(responseCode = "200", description = "The series",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RunSeries.View.class)))
    @APIResponse(responseCode = "404", description = "No such run (or evicted)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RunSeries.View series(@PathParam("id") @Parameter(description = "12 lowercase hex digits")
    @Pattern(regexp = Runs.ID_PATTERN, message = Runs.ID_RULE) String id) {
        return find(id).series();
    }

    @GET
    @Path("{id}/latency")
    @Operation(summary = "A run's latency distribution, as a CDF", description = "The total latency (load to result) "
            + "within which each share of the run's processed items got their result: 0 (the fastest), each hundredth "
            + "from 0.01 to 0.99, 0.999 and 1 (the slowest), up to now or up to its end; no points while none is done.")
    @APIResponse(responseCode = "200", description = "The distribution",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = LatencyDistribution.class)))
    @APIResponse(responseCode = "404", description = "No such run (or evicted)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public LatencyDistribution latency(@PathParam("id") @Parameter(description = "12 lowercase hex digits")
    @Pattern(regexp = Runs.ID_PATTERN, message = Runs.ID_RULE) String id) {
        return find(id).latency();
    }

    @GET
    @Path("{id}/results")
    @Produces({ CSV, JSONL, Problem.MEDIA_TYPE })
    @Operation(summary = "A run's kept results as a file", description = "Every result kept now, in load order, as a "
            + "download: CSV with a column per field (an expired or failed item's row says so in outcome), or JSON "
            + "lines, each the data of the event the run's stream writes for it. Of a running run, those so far.")
    @APIResponse(responseCode = "200", description = "The results, with Content-Disposition: attachment", content = {
            @Content(mediaType = CSV, schema = @Schema(implementation = String.class)),
            @Content(mediaType = JSONL, schema = @Schema(implementation = String.class)) })
    @APIResponse(responseCode = "404", description = "No such run (or evicted)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response results(@PathParam("id") @Parameter(description = "12 lowercase hex digits")
    @Pattern(regexp = Runs.ID_PATTERN, message = Runs.ID_RULE) String id,
            @QueryParam("format") @Parameter(description = "csv or jsonl", required = true)
            @NotNull(message = FORMAT_RULE) @Pattern(regexp = "csv|jsonl", message = FORMAT_RULE) String format) {
        Run run = find(id);
        ResultExport.Format chosen = format.equals("csv") ? ResultExport.Format.CSV : ResultExport.Format.JSONL;
        StreamingOutput body = out -> ResultExport.write(run.history(), chosen, out);
        return Response.ok(body, chosen.mediaType + (chosen == ResultExport.Format.CSV ? "; charset=utf-8" : ""))
                .header("Content-Disposition", "attachment; filename=\"run-" + id + "." + chosen.extension + "\"")
                .build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Cancel a run", description = "The loader stops, the run's queued items are discarded and "
            + "counted as cancelled, its streams end; in one process, a simulated batch holding only its items stops "
            + "at once. Cancelling an ended run changes nothing.")
    @APIResponse(responseCode = "200", description = "The run as it ended",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RunView.class)))
    @APIResponse(responseCode = "404", description = "No such run (or evicted)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public RunView cancel(@PathParam("id") @Parameter(description = "12 lowercase hex digits")
    @Pattern(regexp = Runs.ID_PATTERN, message = Runs.ID_RULE) String id) {
        Run run = find(id);
        run.cancel();
        return run.view();
    }

    private Run find(String id) {
        return runs.find(id).orElseThrow(() -> new NotFoundException("no run with id " + id));
    }
}
