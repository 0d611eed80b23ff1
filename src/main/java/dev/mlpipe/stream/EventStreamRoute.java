package dev.mlpipe.stream;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.problem.Problem;
import dev.mlpipe.problem.RouteProblems;
import dev.mlpipe.run.Run;
import dev.mlpipe.run.Runs;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * {@code GET /api/runs/{id}/events}: a run's events as server-sent events. A plain Vert.x route rather than a JAX-RS
 * method, because it decides the bytes on the wire: what is ready goes out in one write, and comments keep the
 * connection alive.
 */
@ApplicationScoped
public class EventStreamRoute {

    public static final String PATH = "/api/runs/:id/events";

    private final Runs runs;
    private final Vertx vertx;
    private final RouteProblems problems;
    private final long heartbeatMillis;

    EventStreamRoute(Runs runs, Vertx vertx, RouteProblems problems, MlpipeConfig config) {
        this.runs = runs;
        this.vertx = vertx;
        this.problems = problems;
        this.heartbeatMillis = config.stream().heartbeat().toMillis();
    }

    void register(@Observes Router router) {
        router.get(PATH).order(-100).handler(this::open);
    }

    private void open(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (!id.matches(Runs.ID_PATTERN)) {
            problems.send(ctx, Problem.invalid("id", Runs.ID_RULE));
            return;
        }
        Run run = runs.find(id).orElse(null);
        if (run == null) {
            problems.send(ctx, Problem.of(404, "Not Found", "no run with id " + id));
            return;
        }
        long lastEventId;
        try {
            lastEventId = lastEventId(ctx);
        } catch (NumberFormatException e) {
            problems.send(ctx, Problem.invalid("Last-Event-ID", "must be a non-negative integer (an event id)"));
            return;
        }
        if (run.isFinished() && lastEventId >= run.endEventId()) {
            ctx.response().setStatusCode(204).end(); // seen it all: a browser stops reconnecting on 204
            return;
        }
        SseConnection connection = new SseConnection(ctx.response(), vertx, heartbeatMillis);
        connection.open(id);
        run.events().after(lastEventId).subscribe().withSubscriber(connection);
    }

    /** The header a reconnecting browser sends wins over the query parameter of the first connection. */
    private static long lastEventId(RoutingContext ctx) {
        String value = ctx.request().getHeader("Last-Event-ID");
        if (value == null) {
            value = ctx.request().getParam("lastEventId");
        }
        if (value == null || value.isEmpty()) {
            return 0;
        }
        if (value.length() > 19 || !value.chars().allMatch(Character::isDigit)) {
            throw new NumberFormatException(value);
        }
        return Long.parseLong(value);
    }
}
