package dev.mlpipe.api;

import dev.mlpipe.problem.Problem;
import dev.mlpipe.problem.RouteProblems;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Every request's path made canonical ({@link RequestPath}) before anything else looks at it: one whose path is
 * written otherwise is routed again under its canonical path, from the first route on, so that the content-type guard,
 * authorization, the limits and the routes all see that one; one whose path names no one place is a 400 naming
 * {@code path}.
 */
@ApplicationScoped
public class CanonicalPaths {

    private final RouteProblems problems;

    CanonicalPaths(RouteProblems problems) {
        this.problems = problems;
    }

    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String raw = ctx.request().path();
            String canonical;
            try {
                canonical = RequestPath.canonical(raw);
            } catch (RequestPath.Unusable unusable) {
                problems.send(ctx, Problem.invalid("path", unusable.getMessage()));
                return;
            }
            if (canonical.equals(raw)) {
                ctx.next();
            } else {
                String query = ctx.request().query();
                ctx.reroute(query == null ? canonical : canonical + "?" + query);
            }
        });
    }
}
