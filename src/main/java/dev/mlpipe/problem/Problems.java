package dev.mlpipe.problem;

import java.io.CharConversionException;
import java.util.Map;
import java.util.UUID;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;

import dev.mlpipe.config.PipelineSettings;
import dev.mlpipe.run.RunRefused;
import dev.mlpipe.sweep.SweepRefused;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;

/**
 * Every failure of a request as the problem a client gets, with the headers it needs; the same for the JAX-RS
 * resources ({@link ProblemMappers}) and the Vert.x routes ({@link RouteProblems}). Never a stack trace: an unexpected
 * failure is logged under a reference the answer gives.
 */
public final class Problems {

    private static final Logger LOG = Logger.getLogger(Problems.class);

    /** A problem and the headers that go with it, such as Retry-After. */
    public record Answer(Problem problem, Map<String, String> headers) {
    }

    private Problems() {
    }

    public static Answer of(Throwable failure) {
        if (failure instanceof RunRefused refused) {
            return refused(refused);
        }
        if (failure instanceof SweepRefused.SweepRunning running) {
            return answer(Problem.of(409, "Conflict", running.getMessage()));
        }
        if (failure instanceof PipelineSettings.LiveChangeRefused refused) {
            return answer(Problem.of(409, "Conflict", refused.getMessage()));
        }
        if (failure instanceof AuthenticationFailedException || failure instanceof UnauthorizedException) {
            return new Answer(Problem.of(401, "Unauthorized", "sign in as operator or viewer (HTTP Basic)"),
                    Map.of("WWW-Authenticate", "Basic realm=\"mlpipe\", charset=\"UTF-8\""));
        }
        if (failure instanceof ForbiddenException) {
            return answer(Problem.of(403, "Forbidden", "starting and cancelling runs and changing the pipeline's settings need the operator role"));
        }
        if (failure instanceof ConstraintViolationException violations) {
            return answer(ValidationProblems.of(violations));
        }
        if (failure instanceof JsonProcessingException json) {
            return answer(JsonProblems.of(json));
        }
        if (failure instanceof CharConversionException encoding) {
            // a body whose first bytes look like UTF-32 is decoded by Jackson's own reader, which fails with this
            // IOException rather than a JsonProcessingException
            return answer(Problem.invalid("body", "is not JSON text in UTF-8, UTF-16 or UTF-32: " + encoding.getMessage()));
        }
        if (failure instanceof WebApplicationException http) {
            if (http.getCause() instanceof JsonProcessingException json) {
                return answer(JsonProblems.of(json)); // how Quarkus reports malformed JSON and other binding failures
            }
            int status = http.getResponse().getStatus();
            if (status != 500) {
                return answer(Problem.of(status, http.getResponse().getStatusInfo().getReasonPhrase(),
                        http.getMessage()));
            }
        }
        String ref = UUID.randomUUID().toString();
        LOG.errorf(failure, "Unexpected error, ref %s", ref);
        return answer(Problem.of(500, "Internal Server Error", "unexpected error; the server log has it under ref " + ref));
    }

    private static Answer refused(RunRefused refused) {
        if (refused instanceof RunRefused.InvalidField invalid) {
            return answer(Problem.invalid(invalid.field(), invalid.rule()));
        }
        if (refused instanceof RunRefused.TooMany) {
            return new Answer(Problem.of(429, "Too Many Requests", refused.getMessage()), Map.of("Retry-After", "1"));
        }
        if (refused instanceof RunRefused.ShuttingDown) {
            return answer(Problem.of(503, "Service Unavailable", refused.getMessage()));
        }
        if (refused instanceof RunRefused.ModelNotReady) {
            return new Answer(Problem.of(503, "Service Unavailable", refused.getMessage()), Map.of("Retry-After", "5"));
        }
        return answer(Problem.of(409, "Conflict", refused.getMessage()));
    }

    private static Answer answer(Problem problem) {
        return new Answer(problem, Map.of());
    }
}
