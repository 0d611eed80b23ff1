package dev.mlpipe.stream;

import dev.mlpipe.run.Client;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * Who a request comes from, for the per-client limits; the one place that decides it, for the event-stream routes and
 * the JAX-RS resources alike. The authenticated user when there is one (Quarkus' authentication, proactive by
 * default, has set it on the request before any route runs); else the remote address, which is the forwarded one when
 * {@code quarkus.http.proxy.proxy-address-forwarding} is on.
 */
public final class Clients {

    private Clients() {
    }

    public static Client of(RoutingContext ctx) {
        if (ctx.user() instanceof QuarkusHttpUser user) {
            SecurityIdentity identity = user.getSecurityIdentity();
            if (identity != null && !identity.isAnonymous()) {
                return Client.user(identity.getPrincipal().getName());
            }
        }
        SocketAddress remote = ctx.request().remoteAddress();
        return Client.address(remote == null || remote.host() == null ? "unknown" : remote.host());
    }
}
