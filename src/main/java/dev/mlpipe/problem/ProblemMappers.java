package dev.mlpipe.problem;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import dev.mlpipe.run.RunRefused;
import dev.mlpipe.sweep.SweepRefused;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/** The JAX-RS side of {@link Problems}: every failure of a resource method as {@code application/problem+json}. */
public class ProblemMappers {

    /**
     * Every failure but {@link WebApplicationException}. The types named besides {@link Throwable} are named so that no
     * mapper of Quarkus' own for them or a supertype answers first (for {@link MismatchedInputException}, an empty 400
     * outside dev mode, where ours names the field).
     */
    @ServerExceptionMapper({ RunRefused.class, SweepRefused.class, ConstraintViolationException.class,
            JsonProcessingException.class, MismatchedInputException.class, Throwable.class })
    public Response problem(Throwable e) {
        return respond(Problems.of(e));
    }

    /** Keeps the exception's own headers, such as Allow. */
    @ServerExceptionMapper
    public Response http(WebApplicationException e) {
        Problems.Answer answer = Problems.of(e);
        if (answer.problem().status() == 500 || e.getCause() instanceof JsonProcessingException) {
            return respond(answer);
        }
        return Response.fromResponse(e.getResponse()).type(Problem.MEDIA_TYPE).entity(answer.problem()).build();
    }

    private static Response respond(Problems.Answer answer) {
        Response.ResponseBuilder response = Response.status(answer.problem().status()).type(Problem.MEDIA_TYPE)
                .entity(answer.problem());
        answer.headers().forEach(response::header);
        return response.build();
    }
}
