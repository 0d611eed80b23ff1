package dev.mlpipe.api;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import org.eclipse.microprofile.config.ConfigProvider;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/me}: who the caller is and what {@link Access} lets them do, so that a page shows an operator's
 * controls only to an operator. A viewer may ask, as for anything read.
 */
@Path("/api/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "access", description = "Who the caller is and what they may do")
public class CallerResource {

    /**
     * @param user the account signed in, null when nobody signed in (an open service)
     * @param role {@code operator} or {@code viewer}; in an open service everyone's is {@code operator}
     * @param canOperate whether the caller may start and cancel runs and sweeps and change settings
     * @param access {@code protected} (every request signs in), {@code open} ({@code mlpipe.auth.enabled=false}) or
     *        {@code open-to-loopback} (no account set, only this machine reaches the port)
     * @param managementPort the port the management interface listens on ({@code /q/metrics}, {@code /q/health},
     *        {@code /q/openapi}), as bound: the page names it
     */
    @Schema(name = "Caller")
    public record Caller(String user, String role, boolean canOperate, String access, int managementPort) {
    }

    private final SecurityIdentity identity;
    private final Access rules;

    CallerResource(SecurityIdentity identity, Access rules) {
        this.identity = identity;
        this.rules = rules;
    }

    @GET
    @Operation(summary = "Who the caller is, their role, and whether they may operate")
    @APIResponse(responseCode = "200", description = "The caller",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Caller.class)))
    public Caller get() {
        String user = identity.isAnonymous() ? null : identity.getPrincipal().getName();
        Access.Mode mode = rules.mode();
        // open: no rule is applied, so whoever reaches the port, signed in or not, may do what an operator does
        boolean operates = mode != Access.Mode.PROTECTED || identity.hasRole(Access.OPERATOR);
        return new Caller(user, operates ? Access.OPERATOR : Access.VIEWER, operates, switch (mode) {
            case PROTECTED -> "protected";
            case OPEN -> "open";
            case OPEN_TO_LOOPBACK -> "open-to-loopback";
        }, managementPort());
    }

    /** The port as bound: Quarkus puts the bound ports in its configuration once they listen (a test's is random). */
    private static int managementPort() {
        String key = LaunchMode.current() == LaunchMode.TEST ? "quarkus.management.test-port" : "quarkus.management.port";
        return ConfigProvider.getConfig().getOptionalValue(key, Integer.class).orElse(9000);
    }
}
