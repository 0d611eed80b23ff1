package dev.mlpipe.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * {@code mlpipe.limits.max-connections} caps the open connections of all clients together: when all have been
 * answered (open without a password, an answered request is as good as signed in), one more is closed by the server as
 * it connects, and a connection that closes makes room. Raw keep-alive sockets only, so that no pooled connection of
 * an HTTP client counts unseen. ConnectionsIT shows a stranger's connection making room for an operator's.
 */
@QuarkusTest
@TestProfile(MaxConnectionsTest.FourConnections.class)
class MaxConnectionsTest {

    private static final int MAX = 4;

    public static class FourConnections implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mlpipe.limits.max-connections", String.valueOf(MAX));
        }
    }

    /** A keep-alive connection that has had one answer, or was refused. */
    private record Connection(Socket socket, String statusLine) {
    }

    @Test
    void aConnectionBeyondTheLimitIsClosedAndOneThatClosesMakesRoom() throws IOException {
        List<Connection> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX + 1; i++) {
                open.add(connect());
            }
            assertThat(open.subList(0, MAX)).allSatisfy(c -> assertThat(c.statusLine()).isEqualTo("HTTP/1.1 200 OK"));
            assertThat(open.get(MAX).statusLine()).as("the connection beyond the limit").isNull();

            open.get(0).socket().close();
            Connection next = await().atMost(Duration.ofSeconds(30)).until(MaxConnectionsTest::connect,
                    c -> c.statusLine() != null || closeFalse(c));
            open.add(next);
            assertThat(next.statusLine()).isEqualTo("HTTP/1.1 200 OK");
        } finally {
            for (Connection c : open) {
                c.socket().close();
            }
        }
    }

    /** Opens a connection and asks for the pipeline on it, leaving it open; the status line, or null if refused. */
    private static Connection connect() throws IOException {
        Socket socket = new Socket(URI.create(RestAssured.baseURI).getHost(), RestAssured.port);
        socket.setSoTimeout(30_000);
        try {
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/pipeline HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            String status = in.readLine();
            for (String line = status; line != null && !line.isEmpty();) {
                line = in.readLine(); // the headers
            }
            return new Connection(socket, status);
        } catch (IOException refused) {
            return new Connection(socket, null); // reset by the server as it closed the connection
        }
    }

    private static boolean closeFalse(Connection refused) {
        try {
            refused.socket().close();
        } catch (IOException ignored) {
            // it is gone either way
        }
        return false;
    }
}
