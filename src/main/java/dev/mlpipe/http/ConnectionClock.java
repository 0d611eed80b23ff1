package dev.mlpipe.http;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;

/**
 * One public connection's deadlines, first in its Netty pipeline: a request's line and headers must arrive within
 * {@code mlpipe.http.header-timeout} of its first byte (of the connection's opening, for its first request), and a
 * connection none of whose requests has signed in is closed once idle for {@code mlpipe.http.unauthenticated-idle-timeout}.
 * Neither Vert.x nor Quarkus has a header timeout: their idle timeouts count any byte, so a client that sends one
 * byte every few seconds holds a connection for ever, and a read timeout would cut event streams, whose clients send
 * nothing. It also asks {@link ConnectionAdmission} whether the connection may stay, and tells it of sign-in and
 * close. Everything runs on the connection's event loop; the route's calls are moved there.
 */
final class ConnectionClock extends ChannelDuplexHandler {

    private static final Logger LOG = Logger.getLogger(ConnectionClock.class);

    private final ConnectionAdmission<Channel> admission;
    private final long headerNanos;
    private final long strangerIdleNanos;

    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> deadline;
    private boolean awaitingHeaders;
    private int inFlight;
    private boolean signedIn;

    ConnectionClock(ConnectionAdmission<Channel> admission, Duration headerTimeout, Duration strangerIdleTimeout) {
        this.admission = admission;
        this.headerNanos = headerTimeout.toNanos();
        this.strangerIdleNanos = strangerIdleTimeout.toNanos();
    }

    /** The address admission counts by: the peer's IP, without its port. */
    static String address(Channel channel) {
        return channel.remoteAddress() instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress()
                : String.valueOf(channel.remoteAddress());
    }

    /** Called once the connection is registered with its event loop: before any of its bytes is read. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        Channel channel = ctx.channel();
        ConnectionAdmission.Verdict<Channel> verdict = admission.admit(channel, address(channel));
        if (verdict instanceof ConnectionAdmission.Verdict.Refused<Channel> refused) {
            LOG.debugf("Connection from %s closed as it opened: %s", address(channel), refused.setting());
            ctx.close();
            return;
        }
        if (verdict instanceof ConnectionAdmission.Verdict.Evicting<Channel> evicting) {
            LOG.debugf("Connection from %s, which had not signed in, closed to make room", address(evicting.oldest()));
            evicting.oldest().close();
        }
        awaitHeaders();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (inFlight == 0 && !awaitingHeaders) {
            awaitHeaders(); // the first byte of the next request on a kept-alive connection
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelDeadline();
        admission.closed(ctx.channel());
        ctx.fireChannelInactive();
    }

    /** A request's line and headers have arrived. */
    void requestStarted() {
        onLoop(() -> {
            inFlight++;
            awaitingHeaders = false;
            cancelDeadline();
        });
    }

    /** A request of this connection signed in: it is never again a stranger's. */
    void signedIn() {
        onLoop(() -> {
            if (!signedIn) {
                signedIn = true;
                admission.signedIn(ctx.channel());
            }
        });
    }

    /** A request's answer has been sent (or the request failed). */
    void requestEnded() {
        onLoop(() -> {
            inFlight = Math.max(0, inFlight - 1);
            if (inFlight == 0 && !awaitingHeaders && !signedIn) {
                closeAfter(strangerIdleNanos, "idle without having signed in");
            }
        });
    }

    private void awaitHeaders() {
        awaitingHeaders = true;
        closeAfter(headerNanos, "its request line and headers did not arrive in time");
    }

    private void closeAfter(long nanos, String why) {
        cancelDeadline();
        deadline = ctx.executor().schedule(() -> {
            LOG.debugf("Connection from %s closed: %s", address(ctx.channel()), why);
            ctx.close();
        }, nanos, TimeUnit.NANOSECONDS);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void onLoop(Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run();
        } else {
            ctx.executor().execute(task);
        }
    }
}
