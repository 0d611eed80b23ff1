package dev.mlpipe.run;

import java.net.URI;
import java.util.List;

import dev.mlpipe.problem.Problem;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

@Path("/api/runs")
@Produces({ MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE })
public class RunResource {

    static final String ID_RULE = "must be a run id: 12 lowercase hexadecimal digits";

    private final Runs runs;

    RunResource(Runs runs) {
        this.runs = runs;
    }

    /** Starts a run; the body is optional and every field in it too. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response start(@Valid RunSpec spec) {
        Run run = runs.start(spec == null ? RunSpec.defaults() : spec);
        return Response.created(URI.create("/api/runs/" + run.id())).entity(run.view()).build();
    }

    /** A POST with no body may carry any content type (curl -d '' sends a form type); one with a body must be JSON. */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response startWithoutJson(byte[] body) {
        if (body != null && body.length > 0) {
            throw new NotSupportedException("a run spec must be sent as application/json");
        }
        return start(null);
    }

    @GET
    public List<RunView> list() {
        return runs.newestFirst().stream().map(Run::view).toList();
    }

    @GET
    @Path("{id}")
    public RunView get(@PathParam("id") @Pattern(regexp = Runs.ID_PATTERN, message = ID_RULE) String id) {
        return find(id).view();
    }

    /** Cancels a running run; cancelling one that has ended answers its final state and changes nothing. */
    @DELETE
    @Path("{id}")
    public RunView cancel(@PathParam("id") @Pattern(regexp = Runs.ID_PATTERN, message = ID_RULE) String id) {
        Run run = find(id);
        run.cancel();
        return run.view();
    }

    private Run find(String id) {
        return runs.find(id).orElseThrow(() -> new NotFoundException("no run with id " + id));
    }
}
