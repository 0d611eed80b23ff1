package dev.mlpipe.stream;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import dev.mlpipe.observe.LogText;
import dev.mlpipe.run.Client;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

/**
 * Who a request comes from, for the limits and the sign-in throttle; the one place that decides it, for the
 * event-stream routes and the JAX-RS resources alike. Its address is the remote one, the forwarded one when
 * {@code quarkus.http.proxy.proxy-address-forwarding} is on; an IPv6 address as its /64, which one host usually has
 * whole. Its user is the signed-in one (Quarkus' authentication, proactive by default, has set it on the request before
 * any route runs) when the identity says limits count it by name: in the open modes they count the address, whatever
 * account a request names.
 */
public final class Clients {

    /** The attribute of a signed-in identity that the limits count by its name. */
    public static final String COUNTED_BY_NAME = "mlpipe.counted-by-name";

    private Clients() {
    }

    public static Client of(RoutingContext ctx) {
        String address = address(ctx);
        if (ctx.user() instanceof QuarkusHttpUser user) {
            SecurityIdentity identity = user.getSecurityIdentity();
            if (identity != null && !identity.isAnonymous() && identity.getAttribute(COUNTED_BY_NAME) != null) {
                return Client.user(identity.getPrincipal().getName(), address);
            }
        }
        return Client.address(address);
    }

    /** The request's address, as the limits and the sign-in throttle count it. */
    public static String address(RoutingContext ctx) {
        SocketAddress remote = ctx.request().remoteAddress();
        return remote == null || remote.host() == null ? "unknown" : address(remote.host());
    }

    static String address(String host) {
        if (host.indexOf(':') < 0) {
            return LogText.of(host, 64); // an IPv4 address; anything else a forwarded header said, made safe to log
        }
        try {
            if (InetAddress.getByName(host) instanceof Inet6Address v6 && !v6.isLoopbackAddress()) {
                byte[] prefix = v6.getAddress();
                java.util.Arrays.fill(prefix, 8, 16, (byte) 0);
                return InetAddress.getByAddress(prefix).getHostAddress().replaceFirst("(:0)+$", "::") + "/64";
            }
        } catch (UnknownHostException | SecurityException notAnAddress) {
            // fall through: kept as it came, made safe to log
        }
        return LogText.of(host, 64);
    }
}
