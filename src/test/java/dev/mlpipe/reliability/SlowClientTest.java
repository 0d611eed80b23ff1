package dev.mlpipe.reliability;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.data;
import static dev.mlpipe.support.Api.start;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Api;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * Promise 3: a client that stops reading holds up neither the run nor the other clients, costs a bounded amount of
 * memory (the run keeps its newest {@code mlpipe.stream.history} events, whatever the clients do), is cut off once it
 * is more than that far behind, and can come back with Last-Event-ID to what is still kept. The run is paced (about
 * a thousand results a second) so that the other client can keep up on any machine: an unpaced run makes results
 * faster than a stream sends them, and leaves every client behind (BENCHMARKS.md, scenario 2). The socket buffers
 * on both ends are kept small, so that the kernel does not absorb megabytes of events the client never read.
 */
@QuarkusTest
@TestProfile(SlowClientTest.ShortHistory.class)
public class SlowClientTest {

    private static final int ITEMS = 4_000;
    private static final Pattern ID = Pattern.compile("\nid: (\\d+)\n");

    public static class ShortHistory implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mlpipe.stream.history", "1000", "test.http.send-buffer-size", "4096");
        }
    }

    @Test
    void aClientThatStopsReadingIsCutOffAndResumesFromWhatIsKept() throws IOException {
        int history = Api.pipeline().getInt("history");
        String id = start("{\"min\":1,\"max\":2000000000,\"sentinel\":1,\"seed\":1,\"maxItems\":" + ITEMS
                + ",\"loadIntervalMs\":1,\"inferenceMs\":0}");

        long lastSeen;
        try (Socket slow = new Socket(); SseClient reader = SseClient.connect("/api/runs/" + id + "/events")) {
            slow.setReceiveBufferSize(4096);
            slow.setSoTimeout(30_000);
            slow.connect(new InetSocketAddress("127.0.0.1", RestAssured.port));
            slow.getOutputStream().write(("GET /api/runs/" + id + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String start = readSome(slow.getInputStream(), 2048);
            Matcher first = ID.matcher(start);
            lastSeen = first.find() ? Long.parseLong(first.group(1)) : 0;

            // the slow client reads nothing more; the run and the other client go on
            List<SseClient.Event> whole = reader.untilEnd(Duration.ofSeconds(60));
            JsonPath end = awaitEnd(id);
            assertThat(end.getString("state")).isEqualTo("completed");
            assertThat(end.getLong("counts.processed")).isEqualTo(ITEMS);
            assertThat(whole.stream().filter(e -> e.type().equals("result")).count()).isEqualTo(ITEMS);

            String rest = readToEnd(slow.getInputStream());
            assertThat(rest).as("cut off before the end event").doesNotContain("event: end");
        }

        try (SseClient back = SseClient.connect("/api/runs/" + id + "/events",
                Map.of("Last-Event-ID", Long.toString(lastSeen)))) {
            List<SseClient.Event> resumed = back.untilEnd(Duration.ofSeconds(30));
            SseClient.Event gap = resumed.get(0);
            assertThat(gap.type()).isEqualTo("gap");
            long endId = ITEMS + 1;
            long firstKept = endId - history + 1;
            assertThat(data(gap).getLong("firstMissed")).isEqualTo(lastSeen + 1);
            assertThat(data(gap).getLong("lastMissed")).isEqualTo(firstKept - 1);
            assertThat(resumed.subList(1, resumed.size()).stream().map(SseClient.Event::id))
                    .containsExactlyElementsOf(LongStream.rangeClosed(firstKept, endId).boxed().toList());
        }
    }

    private static String readSome(InputStream in, int bytes) throws IOException {
        byte[] buffer = new byte[bytes];
        int read = 0;
        while (read < bytes) {
            int n = in.read(buffer, read, bytes - read);
            if (n < 0) {
                break;
            }
            read += n;
        }
        return new String(buffer, 0, read, StandardCharsets.UTF_8);
    }

    /** Reads what is left until the server closes the connection (a reset counts as closed; silence does not). */
    private static String readToEnd(InputStream in) {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[1 << 16];
        try {
            for (int n; (n = in.read(buffer)) >= 0;) {
                text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("the server kept the slow client's connection open");
        } catch (IOException reset) {
            // closed by the server
        }
        return text.toString();
    }
}
