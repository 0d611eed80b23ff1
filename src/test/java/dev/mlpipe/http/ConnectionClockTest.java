package dev.mlpipe.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;

/**
 * A connection's deadlines, on Netty's embedded channel with its clock stopped: only {@link #after} moves time. A
 * request's line and headers arrive within the header timeout; a connection that has not signed in does not idle past
 * its own timeout; one that has signed in, or is being answered, is left alone.
 */
class ConnectionClockTest {

    private static final Duration HEADERS = Duration.ofSeconds(10);
    private static final Duration STRANGER_IDLE = Duration.ofSeconds(5);

    private final ConnectionAdmission<Channel> admission = new ConnectionAdmission<>(100, 100);

    private EmbeddedChannel open(ConnectionClock clock) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addFirst(clock);
        return channel;
    }

    private ConnectionClock clock() {
        return new ConnectionClock(admission, HEADERS, STRANGER_IDLE);
    }

    private static void after(EmbeddedChannel channel, Duration time) {
        channel.advanceTimeBy(time.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
    }

    private static void send(EmbeddedChannel channel, String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAtTheHeaderTimeout() {
        EmbeddedChannel channel = open(clock());
        after(channel, HEADERS.minusMillis(1));
        assertThat(channel.isOpen()).isTrue();
        after(channel, Duration.ofMillis(1));
        assertThat(channel.isOpen()).isFalse();
        assertThat(admission.open()).as("its place given back").isZero();
    }

    @Test
    void headersTrickledByteByByteAreClosedAtTheTimeoutOfTheConnectionsOpening() {
        EmbeddedChannel channel = open(clock());
        for (int i = 0; i < 9; i++) {
            send(channel, "G");
            after(channel, Duration.ofSeconds(1));
        }
        assertThat(channel.isOpen()).isTrue();
        after(channel, Duration.ofSeconds(1));
        assertThat(channel.isOpen()).as("each byte in time, the headers not").isFalse();
    }

    @Test
    void aSignedInConnectionIsLeftAloneWhileAnsweredAndIdleButItsNextRequestHasTheHeaderTimeout() {
        ConnectionClock clock = clock();
        EmbeddedChannel channel = open(clock);
        send(channel, "GET / HTTP/1.1\r\n\r\n");
        clock.requestStarted();
        clock.signedIn();
        after(channel, Duration.ofMinutes(10)); // an event stream, say
        clock.requestEnded();
        after(channel, Duration.ofMinutes(10)); // kept alive
        assertThat(channel.isOpen()).isTrue();

        send(channel, "GET /api/runs HTTP/1.1\r\n");
        after(channel, HEADERS);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aConnectionWhoseRequestsAllFailedToSignInIsClosedOnceIdleForItsTimeout() {
        ConnectionClock clock = clock();
        EmbeddedChannel channel = open(clock);
        for (int i = 0; i < 3; i++) {
            send(channel, "GET / HTTP/1.1\r\n\r\n");
            clock.requestStarted();
            clock.requestEnded(); // a 401
            after(channel, STRANGER_IDLE.minusMillis(1));
            assertThat(channel.isOpen()).as("another request in time").isTrue();
        }
        after(channel, Duration.ofMillis(1));
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aConnectionBeyondItsAddressCapIsClosedAsItOpens() {
        ConnectionAdmission<Channel> one = new ConnectionAdmission<>(100, 1);
        EmbeddedChannel first = open(new ConnectionClock(one, HEADERS, STRANGER_IDLE));
        EmbeddedChannel second = open(new ConnectionClock(one, HEADERS, STRANGER_IDLE));
        assertThat(first.isOpen()).isTrue();
        assertThat(second.isOpen()).isFalse();
        assertThat(one.open()).isEqualTo(1);
    }

    @Test
    void atTheCapANewConnectionClosesAStrangersToTakeItsPlace() {
        ConnectionAdmission<Channel> two = new ConnectionAdmission<>(2, 10);
        ConnectionClock operator = new ConnectionClock(two, HEADERS, STRANGER_IDLE);
        EmbeddedChannel signedIn = open(operator);
        operator.requestStarted();
        operator.signedIn();
        EmbeddedChannel stranger = open(new ConnectionClock(two, HEADERS, STRANGER_IDLE));
        EmbeddedChannel newcomer = open(new ConnectionClock(two, HEADERS, STRANGER_IDLE));
        assertThat(stranger.isOpen()).isFalse();
        assertThat(signedIn.isOpen()).isTrue();
        assertThat(newcomer.isOpen()).isTrue();
        assertThat(two.open()).isEqualTo(2);
    }
}
