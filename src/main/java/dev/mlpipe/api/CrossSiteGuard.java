package dev.mlpipe.api;

import java.util.Locale;
import java.util.Set;

import dev.mlpipe.observe.LogText;
import dev.mlpipe.problem.Problem;
import dev.mlpipe.problem.RouteProblems;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * What another site's page can make a signed-in browser send without asking, refused after the security checks (so a
 * stranger is told to sign in first): a body that changes something must say it is JSON, exactly
 * {@code application/json} with or without parameters, since a form or {@code text/plain} needs no permission to send
 * (415); and an event stream must not be opened from another site, as an {@code <img>} or {@code <script>} would, each
 * holding one of the user's stream slots: {@code Sec-Fetch-Site}, which browsers send and scripts do not, must be
 * {@code same-origin} or {@code none} when present (403). Cross-origin requests that carry an {@code Origin} are the
 * CORS filter's.
 */
@ApplicationScoped
public class CrossSiteGuard {

    private static final Set<String> OWN = Set.of("same-origin", "none");

    private final RouteProblems problems;

    CrossSiteGuard(RouteProblems problems) {
        this.problems = problems;
    }

    void register(@Observes Router router) {
        router.route("/api/*").order(-60).handler(this::jsonBodies);
        router.get("/api/runs/:id/events").order(-60).handler(this::ownSite);
        router.get("/api/sweeps/:id/events").order(-60).handler(this::ownSite);
        router.post("/api/runs").order(-60).handler(ctx -> {
            String accept = ctx.request().getHeader("Accept");
            if (accept != null && accept.contains("text/event-stream")) {
                ownSite(ctx);
            } else {
                ctx.next();
            }
        });
    }

    private void jsonBodies(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        String type = ctx.request().getHeader("Content-Type");
        if ((method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) && !isJson(type)) {
            problems.send(ctx, Problem.of(415, "Unsupported Media Type", "the body must be sent as application/json, "
                    + "even an empty one (Content-Type: " + (type == null ? "none" : LogText.of(type, 100)) + ")"));
        } else {
            ctx.next();
        }
    }

    /** {@code application/json}, in any case, with or without parameters ({@code ; charset=utf-8}); nothing else. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String type = (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip();
        return type.toLowerCase(Locale.ROOT).equals("application/json");
    }

    private void ownSite(RoutingContext ctx) {
        String site = ctx.request().getHeader("Sec-Fetch-Site");
        if (site != null && !OWN.contains(site.strip().toLowerCase(Locale.ROOT))) {
            problems.send(ctx, Problem.of(403, "Forbidden", "an event stream opens only from this service's own page "
                    + "or without a browser (Sec-Fetch-Site: " + LogText.of(site, 40) + ")"));
        } else {
            ctx.next();
        }
    }
}
