package dev.mlpipe.stream;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.problem.Problem;
import dev.mlpipe.problem.RouteProblems;
import dev.mlpipe.run.Client;
import dev.mlpipe.run.ClientLimits;
import dev.mlpipe.run.History;
import dev.mlpipe.run.JsonText;
import dev.mlpipe.run.Run;
import dev.mlpipe.run.RunRequest;
import dev.mlpipe.run.Runs;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.validation.Validator;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A run's events as server-sent events: {@code GET /api/runs/{id}/events}, and {@code POST /api/runs} with
 * {@code Accept: text/event-stream}, which starts a run and answers its stream on the same response, its reader
 * opened before the loader draws a value. Plain Vert.x routes rather than JAX-RS methods, because they decide the bytes
 * on the wire: what is ready goes out in one write, and comments keep the connection alive.
 */
@ApplicationScoped
public class EventStreamRoute {

    public static final String PATH = "/api/runs/:id/events";

    private final Runs runs;
    private final ClientLimits limits;
    private final Vertx vertx;
    private final RouteProblems problems;
    private final ObjectMapper mapper;
    private final JsonText json;
    private final Validator validator;
    private final long heartbeatMillis;
    private final long stallMillis;
    private final long bodyLimit;
    /** The runs whose full result events several clients read, and what they share; guarded by itself. */
    private final Map<History, SharedResults> shared = new HashMap<>();

    EventStreamRoute(Runs runs, ClientLimits limits, Vertx vertx, RouteProblems problems, ObjectMapper mapper,
            JsonText json, Validator validator, MlpipeConfig config,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize bodyLimit) {
        this.runs = runs;
        this.limits = limits;
        this.vertx = vertx;
        this.problems = problems;
        this.mapper = mapper;
        this.json = json;
        this.validator = validator;
        this.heartbeatMillis = config.stream().heartbeat().toMillis();
        this.stallMillis = config.stream().stallTimeout().toMillis();
        this.bodyLimit = bodyLimit.asLongValue();
    }

    void register(@Observes Router router) {
        router.get(PATH).order(-50).handler(this::follow);
        router.post("/api/runs").order(-50).handler(this::startAndFollow);
    }

    /** Query parameters both routes read: how to deliver, which fields. */
    private record Delivery(History.Mode mode, ResultFields fields) {
    }

    private void follow(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (!id.matches(Runs.ID_PATTERN)) {
            problems.send(ctx, Problem.invalid("id", Runs.ID_RULE));
            return;
        }
        Delivery delivery = delivery(ctx);
        if (delivery == null) {
            return;
        }
        long lastEventId;
        try {
            lastEventId = lastEventId(ctx);
        } catch (NumberFormatException e) {
            problems.send(ctx, Problem.invalid("Last-Event-ID", "must be a non-negative integer (an event id)"));
            return;
        }
        Run run = runs.find(id).orElse(null);
        if (run == null) {
            problems.send(ctx, Problem.of(404, "Not Found", "no run with id " + id));
            return;
        }
        if (run.history().seenAll(lastEventId)) {
            ctx.response().setStatusCode(204).end(); // seen it all: a browser stops reconnecting on 204
            return;
        }
        ClientLimits.Slot slot = streamSlot(ctx, Clients.of(ctx));
        if (slot != null) {
            stream(ctx, 200, run, delivery, lastEventId, slot);
        }
    }

    /** POST /api/runs asking for text/event-stream: the run starts, and its stream is the answer. */
    private void startAndFollow(RoutingContext ctx) {
        String accept = ctx.request().getHeader("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            ctx.next(); // an ordinary POST: the JAX-RS resource answers with the run
            return;
        }
        Delivery delivery = delivery(ctx);
        if (delivery == null) {
            return;
        }
        readBody(ctx, body -> {
            RunRequest request;
            try {
                request = request(body);
            } catch (RuntimeException | IOException invalid) {
                problems.send(ctx, invalid);
                return;
            }
            Client client = Clients.of(ctx);
            ClientLimits.Slot slot = streamSlot(ctx, client);
            if (slot == null) {
                return;
            }
            try {
                runs.start(request, client, run -> stream(ctx, 201, run, delivery, 0, slot));
            } catch (RuntimeException refused) {
                slot.release(); // no run, no stream
                problems.send(ctx, refused);
            }
        });
    }

    /** One of the client's stream slots; null once a 429 problem has said it has none left. */
    private ClientLimits.Slot streamSlot(RoutingContext ctx, Client client) {
        try {
            return limits.takeStream(client);
        } catch (RuntimeException refused) {
            problems.send(ctx, refused);
            return null;
        }
    }

    /** @param slot the client's stream slot, given back when the stream ends or the client goes away */
    private void stream(RoutingContext ctx, int status, Run run, Delivery delivery, long lastEventId,
            ClientLimits.Slot slot) {
        HttpServerResponse response = ctx.response();
        if (response.closed()) {
            slot.release(); // gone while its body was read: no close handler would ever run
            return;
        }
        response.setStatusCode(status).setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        if (status == 201) {
            response.putHeader("Location", "/api/runs/" + run.id());
        }
        String path = "/api/runs/" + run.id() + "/events";
        SseConnection[] connection = new SseConnection[1];
        History.Reader reader = run.history().reader(delivery.mode(), lastEventId, () -> connection[0].signal());
        SharedResults results = delivery.fields() == ResultFields.EVERY ? join(run.history()) : null;
        connection[0] = new SseConnection(wire(ctx), vertx, vertx.getOrCreateContext(),
                new SseWriter(delivery.fields(), results), json, path, heartbeatMillis, stallMillis);
        connection[0].onClose(slot::release);
        if (results != null) {
            connection[0].onClose(() -> leave(run.history(), results));
        }
        response.closeHandler(v -> connection[0].close());
        response.exceptionHandler(e -> connection[0].close());
        connection[0].open(reader, run.id());
    }

    /** A client that asks for every field shares the bytes of the run's events with the run's other such clients. */
    private SharedResults join(History history) {
        synchronized (shared) {
            SharedResults results = shared.computeIfAbsent(history, h -> new SharedResults());
            results.join();
            return results;
        }
    }

    private void leave(History history, SharedResults results) {
        synchronized (shared) {
            if (results.leave() == 0) {
                shared.remove(history);
            }
        }
    }

    /** @return the delivery the query asks for, or null once a problem has been answered */
    private Delivery delivery(RoutingContext ctx) {
        String mode = ctx.request().getParam("mode");
        History.Mode chosen;
        if (mode == null || mode.equals("lossless")) {
            chosen = History.Mode.LOSSLESS;
        } else if (mode.equals("live")) {
            chosen = History.Mode.LIVE;
        } else {
            problems.send(ctx, Problem.invalid("mode", "must be lossless (every event; the run waits for this client) "
                    + "or live (the newest events; skips ahead when behind)"));
            return null;
        }
        try {
            return new Delivery(chosen, ResultFields.parse(ctx.request().getParam("fields")));
        } catch (IllegalArgumentException e) {
            problems.send(ctx, Problem.invalid("fields", e.getMessage()));
            return null;
        }
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

    /** Reads the body up to the limit Quarkus applies to every other body, answering 413 beyond it. */
    private void readBody(RoutingContext ctx, Consumer<Buffer> then) {
        RequestBody.read(ctx, bodyLimit, then, () -> {
            ctx.response().putHeader("Connection", "close");
            problems.send(ctx, Problem.of(413, "Content Too Large", "the body has more than " + bodyLimit
                    + " bytes (quarkus.http.limits.max-body-size)"));
        });
    }

    /** The body as the JAX-RS resource reads it (JSON, as RouteProblems made sure), each field checked by its rule. */
    private RunRequest request(Buffer body) throws IOException {
        return RunRequest.read(body.getBytes(), mapper, validator);
    }

    /**
     * The response as a connection writes to it. How many bytes the client has still to take is counted from the
     * writes' futures, each complete once the socket has taken that write: Vert.x says only whether the write queue is
     * full, which it stays for seconds while a slow client works through a large write, and that client must not be
     * taken for a stalled one.
     */
    private static SseConnection.Wire wire(RoutingContext ctx) {
        HttpServerResponse response = ctx.response();
        return new SseConnection.Wire() {
            // on the connection's event loop, where the futures complete
            private long written;
            private long taken;

            @Override
            public void write(Buffer bytes) {
                int length = bytes.length();
                written += length;
                response.write(bytes).onSuccess(v -> taken += length);
            }

            @Override
            public boolean full() {
                return response.writeQueueFull();
            }

            @Override
            public long unsent() {
                return written - taken;
            }

            @Override
            public void onDrain(Runnable drained) {
                response.drainHandler(v -> drained.run());
            }

            @Override
            public void end() {
                if (!response.ended() && !response.closed()) {
                    response.end();
                }
            }
        };
    }
}
