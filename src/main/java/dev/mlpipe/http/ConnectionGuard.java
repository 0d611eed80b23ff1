package dev.mlpipe.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

import dev.mlpipe.api.Access;
import dev.mlpipe.config.MlpipeConfig;
import io.netty.channel.Channel;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Singleton;

/**
 * Nobody locks everyone out of the public port: each connection gets a {@link ConnectionClock} as it is accepted
 * ({@link AcceptedConnections}), under one {@link ConnectionAdmission}, and the first route of every request tells the
 * clock when a request starts, whether it signed in, and when it ends.
 */
@Singleton
public class ConnectionGuard {

    private static final Logger LOG = Logger.getLogger(ConnectionGuard.class);
    private static final String CLOCK = "mlpipe-connection-clock";
    /** How long the request to itself may take to connect before readiness stops waiting for the tap. */
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final MlpipeConfig.Http http;
    private final Access access;
    private final Vertx vertx;
    private final ConnectionAdmission<Channel> admission;
    /**
     * Open once each new connection of the plain HTTP port is watched from its opening: the tap is on, or the request
     * that puts it on did not reach the routes (a warning says so). Until then a connection is watched from its first
     * request only, so readiness waits for it ({@link ConnectionsReadiness}). Open from the start when there is no
     * plain HTTP port to watch, and in dev mode: its server outlives a reload, so no start event comes to put the tap
     * on again, and the application before's tap stays on until the first request replaces it.
     */
    private final CountDownLatch tapOn = new CountDownLatch(1);
    /** A request has reached the routes, and with it the tap is going on. */
    private volatile boolean routed;

    ConnectionGuard(MlpipeConfig config, Access access, Vertx vertx) {
        this.http = config.http();
        this.access = access;
        this.vertx = vertx;
        this.admission = new ConnectionAdmission<>(config.limits().maxConnections(),
                config.limits().connectionsPerAddress());
        Config quarkus = ConfigProvider.getConfig();
        boolean plainHttp = quarkus.getOptionalValue("quarkus.http.host-enabled", Boolean.class).orElse(true)
                && quarkus.getOptionalValue("quarkus.http.insecure-requests", String.class).orElse("enabled")
                        .equalsIgnoreCase("enabled");
        if (!plainHttp || LaunchMode.current() == LaunchMode.DEVELOPMENT) {
            tapOn.countDown();
        }
    }

    /** First of all routes (the observer's priority puts it before the others of the same order). */
    void register(@Observes @Priority(1) Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::track);
    }

    /**
     * The tap is put on the listening channel by the first request it sees; this one, sent to itself as the port
     * opens, makes that first request come before any stranger's connection.
     */
    void tapAtStart(@ObservesAsync HttpServerStart start) {
        String host = switch (start.options().getHost()) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "[::]" -> "::1";
            default -> start.options().getHost();
        };
        // the port the server got (the configured one may be 0: any free port)
        int port = ConfigProvider.getConfig().getValue("quarkus.http.port", Integer.class);
        NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS));
        client.connect(port, host).onSuccess(socket -> {
            socket.handler(ignored -> {
            });
            socket.closeHandler(closed -> {
                client.close();
                if (!routed) { // answered without reaching the routes (a proxy protocol, a root path)
                    unwatched(host, port, "its request to itself reached no route");
                }
            });
            socket.write(Buffer.buffer("HEAD / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                    StandardCharsets.US_ASCII.name()));
        }).onFailure(failure -> {
            client.close();
            unwatched(host, port, failure.toString());
        });
    }

    /** The tap goes on at the first request a route sees: readiness waits for it no longer. */
    private void unwatched(String host, int port, String why) {
        LOG.warnf("Connections to %s:%d are watched only from the first request on: %s", host, port, why);
        tapOn.countDown();
    }

    private void track(RoutingContext rc) {
        Channel channel = AcceptedConnections.channelOf(rc.request().connection());
        AcceptedConnections.tap(channel, this::watch);
        if (!routed) {
            routed = true;
            // the listening channel's loop adds the tap; once it has, every connection it accepts is watched
            Channel listening = channel.parent();
            if (listening == null) {
                tapOn.countDown();
            } else {
                listening.eventLoop().execute(tapOn::countDown);
            }
        }
        // none: accepted before the tap, watched from its first request on; another class: accepted under the
        // application before a dev-mode reload
        ConnectionClock started = channel.pipeline().get(CLOCK) instanceof ConnectionClock clock ? clock : watch(channel);
        started.requestStarted();
        rc.addHeadersEndHandler(v -> {
            if (signedIn(rc)) {
                started.signedIn();
            }
        });
        rc.addEndHandler(v -> started.requestEnded());
        rc.next();
    }

    /**
     * Waits up to {@code wait} for the tap (some milliseconds after the port opens: {@link #tapOn}).
     *
     * @return whether each new connection of the plain HTTP port is watched from its opening, before its first byte
     */
    boolean awaitTapOn(Duration wait) {
        try {
            return tapOn.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private ConnectionClock watch(Channel connection) {
        ConnectionClock clock = new ConnectionClock(admission, http.headerTimeout(), http.unauthenticatedIdleTimeout());
        if (connection.pipeline().get(CLOCK) != null) {
            connection.pipeline().replace(CLOCK, CLOCK, clock);
        } else {
            connection.pipeline().addFirst(CLOCK, clock);
        }
        return clock;
    }

    /** Open without a password, a request that was answered is as good as signed in: there is nothing to sign in to. */
    private boolean signedIn(RoutingContext rc) {
        return access.mode() != Access.Mode.PROTECTED
                || rc.user() instanceof QuarkusHttpUser user && !user.getSecurityIdentity().isAnonymous();
    }
}
