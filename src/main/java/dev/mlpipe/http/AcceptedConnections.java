package dev.mlpipe.http;

import java.util.function.Consumer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * The one place that reaches below Vert.x's public API: a connection's Netty channel, and a tap on the listening
 * channel that hands over each connection as it is accepted, before any of its bytes is read. Vert.x gives a
 * connection handler only to whoever creates the server (Quarkus, which keeps it for its own max-connections), and
 * nothing else sees a connection that never completes a request. {@code ConnectionBase} is internal:
 * AcceptedConnectionsTest fails on the Vert.x upgrade that changes it.
 */
final class AcceptedConnections {

    static final String TAP = "mlpipe-accepted-connections";

    private AcceptedConnections() {
    }

    static Channel channelOf(HttpConnection connection) {
        return ((ConnectionBase) connection).channel();
    }

    /**
     * From now on, hands each connection the listening channel of {@code connection} accepts to {@code accepted}, on
     * the acceptor's thread, before the connection is registered with its event loop. Once per listening channel.
     */
    static void tap(Channel connection, Consumer<Channel> accepted) {
        Channel listening = connection.parent();
        if (listening == null || listening.pipeline().get(TAP) instanceof Tap) {
            return;
        }
        synchronized (listening) {
            Object present = listening.pipeline().get(TAP);
            if (present == null) {
                listening.pipeline().addFirst(TAP, new Tap(accepted));
            } else if (!(present instanceof Tap)) {
                // dev mode's hot reload: the HTTP server outlives the application, and so would the tap of the one
                // before, whose classes this application's cannot be cast to
                listening.pipeline().replace(TAP, TAP, new Tap(accepted));
            }
        }
    }

    /** What a listening channel reads are the connections it accepts. */
    private static final class Tap extends ChannelInboundHandlerAdapter {
        private final Consumer<Channel> accepted;

        Tap(Consumer<Channel> accepted) {
            this.accepted = accepted;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel connection) {
                accepted.accept(connection);
            }
            ctx.fireChannelRead(msg);
        }
    }
}
