package dev.mlpipe.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.channel.Channel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * The adapter over Vert.x internals, on a plain Vert.x server: a request's connection is the Netty channel of the
 * client's socket, and the tap its first request puts on the listening channel sees the next connection before it
 * sends a byte. Fails on the Vert.x upgrade that changes either.
 */
class AcceptedConnectionsTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aRequestsConnectionLeadsToATapThatSeesTheNextConnectionBeforeItsFirstByte() throws Exception {
        List<Channel> requests = new CopyOnWriteArrayList<>();
        List<Channel> accepted = new CopyOnWriteArrayList<>();
        CountDownLatch tapOn = new CountDownLatch(1);
        HttpServer server = vertx.createHttpServer().requestHandler(request -> {
            Channel channel = AcceptedConnections.channelOf(request.connection());
            requests.add(channel);
            AcceptedConnections.tap(channel, accepted::add);
            // the tap goes on in the acceptor's loop: a task queued there after it runs once it is on, as
            // ConnectionGuard waits for it
            channel.parent().eventLoop().execute(tapOn::countDown);
            request.response().end("ok");
        });
        int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)
                .actualPort();

        try (Socket first = new Socket("127.0.0.1", port)) {
            OutputStream out = first.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = first.getInputStream();
            assertThat(in.read()).as("answered").isNotNegative();
            assertThat(((InetSocketAddress) requests.get(0).remoteAddress()).getPort()).isEqualTo(first.getLocalPort());

            assertThat(tapOn.await(10, TimeUnit.SECONDS)).as("the tap is on").isTrue();
            try (Socket silent = new Socket("127.0.0.1", port)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> accepted.size() == 1);
                assertThat(((InetSocketAddress) accepted.get(0).remoteAddress()).getPort())
                        .isEqualTo(silent.getLocalPort());
            }
        }
    }
}
