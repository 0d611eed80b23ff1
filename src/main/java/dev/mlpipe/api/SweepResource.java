package dev.mlpipe.api;

import java.net.URI;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipe.problem.Problem;
import dev.mlpipe.run.ClientLimits;
import dev.mlpipe.run.Runs;
import dev.mlpipe.stream.Clients;
import dev.mlpipe.sweep.Sweep;
import dev.mlpipe.sweep.SweepCsv;
import dev.mlpipe.sweep.SweepRequest;
import dev.mlpipe.sweep.SweepView;
import dev.mlpipe.sweep.Sweeps;
import io.smallrye.mutiny.Multi;
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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

@Path("/api/sweeps")
@Produces({ MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE })
@Tag(name = "sweeps", description = "Vary a setting over a sequence of runs: the throughput/latency curve and where "
        + "the pipeline saturates")
@APIResponse(responseCode = "400", description = "Invalid input: the problem names the field and the rule it broke",
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class SweepResource {

    private static final MediaType CSV = MediaType.valueOf(SweepCsv.MEDIA_TYPE);
    /** A sweep id is made as a run id is; a malformed one is answered as a sweep's. */
    static final String ID_PATTERN = Runs.ID_PATTERN;
    static final String ID_RULE = "must be a sweep id: 12 lowercase hexadecimal digits";

    private final Sweeps sweeps;
    private final ObjectMapper mapper;
    private final ClientLimits limits;

    SweepResource(Sweeps sweeps, ObjectMapper mapper, ClientLimits limits) {
        this.sweeps = sweeps;
        this.mapper = mapper;
        this.limits = limits;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a sweep", description = "Runs one step after another, each its repeats' runs one at "
            + "a time, each an ordinary run (GET /api/runs/{id}); one sweep at a time.")
    @APIResponse(responseCode = "201", description = "Started; Location names the sweep",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SweepView.class)))
    @APIResponse(responseCode = "415", description = "A request that is not application/json",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "Another sweep is running",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "Its first run would exceed a run limit, as for POST /api/runs",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response start(@Valid @NotNull(message = "must be a sweep: {\"vary\": {\"inferenceMs\": [5, 10]}} at least")
    SweepRequest body, @Context RoutingContext request) {
        Sweep sweep = sweeps.start(body, Clients.of(request));
        return Response.created(URI.create("/api/sweeps/" + sweep.id())).entity(sweep.view()).build();
    }

    @GET
    @Operation(summary = "All kept sweeps, newest first")
    @APIResponse(responseCode = "200", description = "The sweeps",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SweepView[].class)))
    public List<SweepView> list() {
        return sweeps.newestFirst().stream().map(Sweep::view).toList();
    }

    @GET
    @Path("{id}")
    @Produces({ MediaType.APPLICATION_JSON, SweepCsv.MEDIA_TYPE, Problem.MEDIA_TYPE })
    @Operation(summary = "One sweep: its state, finished steps with their figures, and saturation", description = "With "
            + "Accept: text/csv or ?format=csv its finished steps as CSV instead, as a download: perf_analyzer's column "
            + "names where they mean the same, in microseconds like theirs, then ours")
    @APIResponse(responseCode = "200", description = "The sweep", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SweepView.class)),
            @Content(mediaType = SweepCsv.MEDIA_TYPE, schema = @Schema(implementation = String.class)) })
    @APIResponse(responseCode = "404", description = "No such sweep (or forgotten)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response get(@PathParam("id") @Parameter(description = "12 lowercase hex digits")
    @Pattern(regexp = ID_PATTERN, message = ID_RULE) String id,
            // a link cannot set Accept: the page's download link names the format instead
            @QueryParam("format") @Parameter(description = "csv or json; overrides Accept")
            @Pattern(regexp = "csv|json", message = "must be csv or json") String format,
            @Context HttpHeaders headers) {
        SweepView sweep = find(id).view();
        if (format != null) {
            return format.equals("csv") ? csv(sweep) : Response.ok(sweep, MediaType.APPLICATION_JSON_TYPE).build();
        }
        // JSON unless the client asks for CSV before anything JSON would satisfy (*/* included)
        for (MediaType accepted : headers.getAcceptableMediaTypes()) {
            if (accepted.isCompatible(MediaType.APPLICATION_JSON_TYPE)) {
                break;
            }
            if (accepted.isCompatible(CSV)) {
                return csv(sweep);
            }
        }
        return Response.ok(sweep, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** Saved as a file by a browser that follows a link to it; curl prints it as before. */
    private static Response csv(SweepView sweep) {
        return Response.ok(SweepCsv.of(sweep), CSV)
                .header("Content-Disposition", "attachment; filename=\"sweep-" + sweep.id() + ".csv\"").build();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Cancel a sweep", description = "Its current run is cancelled and no other starts; "
            + "cancelling an ended sweep changes nothing.")
    @APIResponse(responseCode = "200", description = "The sweep as it ended",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SweepView.class)))
    @APIResponse(responseCode = "404", description = "No such sweep (or forgotten)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public SweepView cancel(@PathParam("id") @Pattern(regexp = ID_PATTERN, message = ID_RULE) String id) {
        Sweep sweep = find(id);
        sweeps.cancel(sweep);
        return sweep.view();
    }

    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "A sweep's events", description = "A step event per finished step (those before now first), "
            + "then an end event with the sweep; then the stream ends.")
    @APIResponse(responseCode = "200", description = "step events (data: a step), then end (data: the sweep)",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS))
    @APIResponse(responseCode = "404", description = "No such sweep (or forgotten)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "The client, or its address, has all the event streams it may "
            + "have open (mlpipe.limits.streams-per-client, mlpipe.limits.streams-per-address), runs' and sweeps' alike",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Multi<OutboundSseEvent> events(@PathParam("id") @Pattern(regexp = ID_PATTERN, message = ID_RULE)
    String id, @Context Sse sse, @Context RoutingContext request) {
        Sweep sweep = find(id);
        ClientLimits.Slot slot = limits.takeStream(Clients.of(request)); // a stream slot, as a run's stream takes
        return Multi.createFrom().<OutboundSseEvent> emitter(emitter -> {
            Runnable stop = sweep.follow(new Sweep.Follower(
                    step -> emitter.emit(event(sse, "step", step)),
                    end -> {
                        emitter.emit(event(sse, "end", end));
                        emitter.complete();
                    }));
            emitter.onTermination(stop);
        }).onTermination().invoke(slot::release);
    }

    /**
     * Quarkus REST writes a field as {@code event:step}; the leading space makes it {@code event: step}, as the run
     * streams and the specification's examples write it (a reader drops that one space either way).
     */
    private OutboundSseEvent event(Sse sse, String name, Object data) {
        try {
            return sse.newEventBuilder().name(" " + name).data(" " + mapper.writeValueAsString(data)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a sweep's " + name, e);
        }
    }

    private Sweep find(String id) {
        return sweeps.find(id).orElseThrow(() -> new NotFoundException("no sweep with id " + id));
    }
}
