package dev.mlpipe.api;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.problem.Problems;
import dev.mlpipe.problem.RouteProblems;
import dev.mlpipe.serve.InferenceRequests;
import dev.mlpipe.serve.Outcome;
import dev.mlpipe.serve.PendingRequest;
import dev.mlpipe.serve.ServedModel;
import dev.mlpipe.serve.ServedModels;
import dev.mlpipe.serve.ServingMetrics;
import dev.mlpipe.stream.RequestBody;
import dev.mlpipe.v2.EncodedBody;
import dev.mlpipe.v2.InferRequest;
import dev.mlpipe.v2.InferResponse;
import dev.mlpipe.v2.Limits;
import dev.mlpipe.v2.Parameters;
import dev.mlpipe.v2.ServerMetadata;
import dev.mlpipe.v2.V2Codec;
import dev.mlpipe.v2.V2Refused;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The Open Inference Protocol's REST endpoints (KServe v2, inference_rest.md) for every model, with Triton's binary
 * tensor data extension: server and model metadata, health, and inference, whose rows join the model's queue
 * ({@link InferenceRequests}). A Vert.x route rather than a JAX-RS resource: the protocol answers every error on its
 * paths as {@code {"error": "..."}} (unknown paths and methods, bodies of another type or too large among them), reads
 * binary bodies whose layout a header gives, and cancels a request's rows when its client goes away.
 */
@ApplicationScoped
public class V2Route {

    static final String JSON = "application/json";
    private static final Set<String> OWN_SITE = Set.of("same-origin", "none");

    private final ServedModels models;
    private final InferenceRequests requests;
    private final ServingMetrics metrics;
    private final MlpipeConfig config;
    private final V2Codec codec;
    private final long bodyLimit;
    private final byte[] serverMetadata;

    V2Route(ServedModels models, InferenceRequests requests, ServingMetrics metrics, MlpipeConfig config,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize bodyLimit,
            @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.models = models;
        this.requests = requests;
        this.metrics = metrics;
        this.config = config;
        this.bodyLimit = bodyLimit.asLongValue();
        this.codec = new V2Codec(new Limits((int) Math.min(Integer.MAX_VALUE, this.bodyLimit),
                Limits.DEFAULT.maxElements(), Limits.DEFAULT.maxDepth(), Limits.DEFAULT.maxTensors()));
        this.serverMetadata = codec.writeServerMetadata(new ServerMetadata("mlpipe", version,
                List.of(ServerMetadata.BINARY_TENSOR_DATA)));
    }

    void register(@Observes Router router) {
        for (String paths : List.of("/v2", "/v2/*")) {
            router.route(paths).order(Integer.MIN_VALUE + 1).handler(this::declaredLength);
            // before RouteProblems', which would answer in problem+json
            router.route(paths).order(RouteProblems.FAILURE_ORDER - 1).failureHandler(this::failed);
            router.route(paths).order(-50).handler(this::serve);
        }
    }

    /** A body declared longer than the limit is refused before it is read, as the rest of the API does. */
    private void declaredLength(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
                && Long.parseLong(length) > bodyLimit) {
            ctx.response().putHeader("Connection", "close");
            error(ctx, 413, "the body has " + length + " bytes; the limit is " + bodyLimit
                    + " (quarkus.http.limits.max-body-size)");
        } else {
            ctx.next();
        }
    }

    /** A failure before the route (not signed in, not allowed): the status and headers as elsewhere, the v2 body. */
    private void failed(RoutingContext ctx) {
        Problems.Answer answer = Problems.of(ctx.failure());
        answer.headers().forEach(ctx.response()::putHeader);
        int status = answer.problem().status();
        error(ctx, status, status == 403 ? "inference needs the operator role (a viewer may read metadata and health)"
                : answer.problem().detail());
    }

    private void serve(RoutingContext ctx) {
        String[] parts = ctx.normalizedPath().substring(1).split("/", -1);
        HttpMethod method = ctx.request().method();
        boolean read = method == HttpMethod.GET || method == HttpMethod.HEAD;
        // v2 | v2/health/{live,ready} | v2/models/{m}[/versions/{v}][/ready|/infer]
        if (parts.length == 1) {
            answerRead(ctx, read, () -> send(ctx, 200, JSON, serverMetadata));
        } else if (parts.length == 3 && parts[1].equals("health") && parts[2].equals("live")) {
            answerRead(ctx, read, () -> ctx.response().setStatusCode(200).end());
        } else if (parts.length == 3 && parts[1].equals("health") && parts[2].equals("ready")) {
            answerRead(ctx, read, () -> ctx.response().setStatusCode(requests.ready() ? 200 : 400).end());
        } else if (parts.length >= 3 && parts[1].equals("models")) {
            model(ctx, parts, method, read);
        } else {
            error(ctx, 404, "no such endpoint: " + ctx.normalizedPath());
        }
    }

    private void model(RoutingContext ctx, String[] parts, HttpMethod method, boolean read) {
        int at = 3;
        String version = null;
        if (parts.length >= 5 && parts[3].equals("versions")) {
            version = parts[4];
            at = 5;
        }
        String action = parts.length == at ? "" : parts.length == at + 1 ? parts[at] : null;
        if (action == null || !(action.isEmpty() || action.equals("ready") || action.equals("infer"))) {
            error(ctx, 404, "no such endpoint: " + ctx.normalizedPath());
            return;
        }
        String name = parts[2];
        Optional<ServedModel> found = models.find(name);
        Optional<String> notReady = models.notReady(name);
        if (notReady.isPresent()) {
            ctx.response().putHeader("Retry-After", "5");
            if (action.equals("infer")) {
                metrics.ended(name, "unavailable");
            }
            error(ctx, action.equals("ready") ? 400 : 503, "model '" + name + "' is not ready: " + notReady.get());
            return;
        }
        if (found.isEmpty()) {
            if (action.equals("infer")) {
                metrics.ended(ServingMetrics.UNKNOWN, "unknown-model");
            }
            error(ctx, 404, "no model named '" + V2Refused.clip(name) + "' (models: " + String.join(", ", models.names())
                    + ")");
            return;
        }
        ServedModel served = found.get();
        if (version != null && !version.equals(ServedModel.VERSION)) {
            error(ctx, 404, "model '" + name + "' has no version '" + V2Refused.clip(version) + "' (its versions: "
                    + ServedModel.VERSION + ")");
            return;
        }
        switch (action) {
            case "" -> answerRead(ctx, read, () -> send(ctx, 200, JSON, codec.writeModelMetadata(served.metadata())));
            case "ready" -> answerRead(ctx, read, () -> ctx.response().setStatusCode(requests.ready() ? 200 : 400).end());
            default -> {
                if (method != HttpMethod.POST) {
                    ctx.response().putHeader("Allow", "POST");
                    error(ctx, 405, "infer takes POST, not " + method.name());
                } else {
                    infer(ctx, served);
                }
            }
        }
    }

    private void answerRead(RoutingContext ctx, boolean read, Runnable answer) {
        if (read) {
            answer.run();
        } else {
            ctx.response().putHeader("Allow", "GET, HEAD");
            error(ctx, 405, "this endpoint takes GET, not " + ctx.request().method().name());
        }
    }

    private void infer(RoutingContext ctx, ServedModel served) {
        long arrived = System.nanoTime();
        String model = served.model().name();
        String site = ctx.request().getHeader("Sec-Fetch-Site");
        if (site != null && !OWN_SITE.contains(site.strip().toLowerCase(Locale.ROOT))) {
            refused(ctx, model, 403, "an inference request is not taken from another site's page (Sec-Fetch-Site: "
                    + V2Refused.clip(site) + ")");
            return;
        }
        String headerLength = ctx.request().getHeader(V2Codec.HEADER_LENGTH);
        String type = ctx.request().getHeader("Content-Type");
        if (headerLength == null && type != null && !CrossSiteGuard.isJson(type)) {
            refused(ctx, model, 415, "the body must be application/json, or carry binary tensors with "
                    + V2Codec.HEADER_LENGTH + " (Content-Type: " + V2Refused.clip(type) + ")");
            return;
        }
        if (!requests.ready()) {
            ctx.response().putHeader("Retry-After", "5");
            refused(ctx, model, 503, "model '" + model + "' is not ready: " + requests.notReadyBecause());
            return;
        }
        RequestBody.read(ctx, bodyLimit, body -> run(ctx, served, arrived, body), () -> {
            ctx.response().putHeader("Connection", "close");
            refused(ctx, model, 413, "the body has more than " + bodyLimit + " bytes (quarkus.http.limits.max-body-size)");
        });
    }

    private void run(RoutingContext ctx, ServedModel served, long arrived, Buffer body) {
        String model = served.model().name();
        InferRequest request;
        PendingRequest pending;
        try {
            request = codec.readRequest(body.getBytes(), ctx.request().getHeader(V2Codec.HEADER_LENGTH));
            pending = requests.submit(served, request, arrived);
        } catch (V2Refused refused) {
            refused(ctx, model, refused.status(), refused.getMessage());
            return;
        }
        ctx.response().closeHandler(gone -> pending.cancel());
        pending.outcome().thenAccept(how -> {
            if (how instanceof Outcome.Answered answered) {
                InferResponse response = new InferResponse(model, ServedModel.VERSION, request.id(), Parameters.NONE,
                        served.outputs(request, answered.results()));
                EncodedBody encoded = codec.writeResponse(response, request::wantsBinary);
                if (encoded.hasBinary()) {
                    ctx.response().putHeader(V2Codec.HEADER_LENGTH, Integer.toString(encoded.headerLength()));
                }
                send(ctx, 200, encoded.contentType(), encoded.bytes());
            } else if (how instanceof Outcome.Refused refused) {
                if (refused.retryAfterSeconds() > 0) {
                    ctx.response().putHeader("Retry-After", Integer.toString(refused.retryAfterSeconds()));
                }
                error(ctx, refused.status(), refused.message());
            }
        });
    }

    /** A request refused before its rows entered the queue: counted, and answered. */
    private void refused(RoutingContext ctx, String model, int status, String message) {
        metrics.ended(model, "refused");
        error(ctx, status, message);
    }

    private void error(RoutingContext ctx, int status, String message) {
        send(ctx, status, JSON, codec.writeError(message));
    }

    private static void send(RoutingContext ctx, int status, String type, byte[] body) {
        if (ctx.response().ended() || ctx.response().closed()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", type).end(Buffer.buffer(body));
    }
}
