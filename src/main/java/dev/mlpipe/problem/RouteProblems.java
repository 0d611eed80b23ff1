package dev.mlpipe.problem;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Problems answered below JAX-RS, on plain Vert.x routes: the event stream's, the guards' (api.CrossSiteGuard and
 * others), a body over the size limit, and a request Quarkus security turned away (its own answer has no body).
 */
@ApplicationScoped
public class RouteProblems {

    /**
     * Where this class's failure handler runs among the routes'. A route that answers its failures in a form of its own
     * (api.V2Route: the Open Inference Protocol's {@code {"error": ...}}) registers its failure handler before it, and
     * answers them all, so this one never sees them.
     */
    public static final int FAILURE_ORDER = Integer.MIN_VALUE + 2;

    private final ObjectMapper mapper;
    private final MemorySize bodyLimit;

    RouteProblems(ObjectMapper mapper,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize bodyLimit) {
        this.mapper = mapper;
        this.bodyLimit = bodyLimit;
    }

    /**
     * Quarkus answers a declared body over the limit with an empty 413 before any route runs; this one runs first for
     * the API and answers the same status with a problem that says why.
     */
    void register(@Observes Router router) {
        router.route().order(FAILURE_ORDER).failureHandler(ctx -> {
            Throwable failure = ctx.failure();
            if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException
                    || failure instanceof ForbiddenException) {
                send(ctx, failure);
            } else {
                ctx.next();
            }
        });
        router.route("/api/*").order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader("Content-Length");
            if (length != null && length.chars().allMatch(Character::isDigit) && length.length() < 19
                    && Long.parseLong(length) > bodyLimit.asLongValue()) {
                ctx.response().putHeader("Connection", "close");
                send(ctx, Problem.of(413, "Content Too Large", "the body has " + length + " bytes; the limit is "
                        + bodyLimit.asLongValue() + " (quarkus.http.limits.max-body-size)"));
            } else {
                ctx.next();
            }
        });
    }

    /** Answers the failure as {@link Problems} maps it. */
    public void send(RoutingContext ctx, Throwable failure) {
        Problems.Answer answer = Problems.of(failure);
        answer.headers().forEach(ctx.response()::putHeader);
        send(ctx, answer.problem());
    }

    public void send(RoutingContext ctx, Problem problem) {
        try {
            ctx.response().setStatusCode(problem.status())
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end(mapper.writeValueAsString(problem));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
        }
    }
}
