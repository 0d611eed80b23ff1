package dev.mlpipe.http;

import dev.mlpipe.api.Access;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

/**
 * The management interface's operator endpoints ({@code /q/metrics}, {@code /q/openapi}, {@code /q/swagger-ui}) ask
 * for an account whenever the public port does, and for none when it is open (there is none to ask for: dev mode, the
 * tests, a process without passwords). Health stays open for probes. A policy named in application.properties
 * ({@code quarkus.management.auth.permission.*}): Quarkus' management permissions come from configuration only, and
 * Access decides the mode at start.
 */
@Singleton
public class ManagementAccounts implements HttpSecurityPolicy {

    static final String NAME = "mlpipe-viewer";

    private final Access access;

    ManagementAccounts(Access access) {
        this.access = access;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
            AuthorizationRequestContext context) {
        if (access.mode() != Access.Mode.PROTECTED) {
            return CheckResult.permit();
        }
        return identity.map(who -> who.hasRole(Access.VIEWER) ? CheckResult.PERMIT : CheckResult.DENY);
    }
}
