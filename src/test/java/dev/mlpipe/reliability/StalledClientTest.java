package dev.mlpipe.reliability;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.data;
import static dev.mlpipe.support.Api.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SocketSseClient;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Never a silent end: a lossless client that stops taking bytes off its connection holds its run (the loader waits for
 * it) until the stall timeout; then it is told why, with the id to resume from, the server ends its response and the
 * run goes on to complete; resuming from that id misses nothing. A client that reads slowly but keeps reading is not
 * stalled. The server's send buffer is kept small, so the kernel does not hide a client that stopped reading. (What
 * the run view shows while a run is held is checked in PacedRunIsolationTest, where the hold outlasts the test.)
 */
@QuarkusTest
@TestProfile(StalledClientTest.ShortStall.class)
public class StalledClientTest {

    private static final int ITEMS = 5_000;
    private static final int WINDOW = 500;

    public static class ShortStall implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mlpipe.stream.history", Integer.toString(WINDOW), "mlpipe.stream.stall-timeout", "2s",
                    "test.http.send-buffer-size", "4096");
        }
    }

    @Test
    void aLosslessClientThatStopsReadingHoldsItsRunUntilItIsCutOffAndResumesWhereItWasCut() {
        String spec = RunSpecs.spec().draws(ITEMS).seed(11).inferenceMs(0).json();
        String id;
        long lastEventId;
        long loadedWhileHeld;
        try (SocketSseClient stalled = SocketSseClient.start(spec, "")) {
            assertThat(stalled.status()).isEqualTo(201);
            id = stalled.header("Location").substring("/api/runs/".length());
            stalled.take(4096); // the first few events, then nothing more

            // it holds the run: while it is connected the loader stays within the window of what it was sent
            // (checked below, once the disconnect event says how much that was)
            JsonPath whileHeld = run(id);
            assertThat(whileHeld.getInt("subscribers")).as("the stalled client is still connected").isEqualTo(1);
            assertThat(whileHeld.getString("state")).isEqualTo("running");
            assertThat(whileHeld.getLong("counts.loaded")).isLessThan(ITEMS);
            loadedWhileHeld = whileHeld.getLong("counts.loaded");

            // the server lets go of it once it has taken nothing for the stall timeout; only then does it read again
            await().atMost(Duration.ofSeconds(30)).until(() -> run(id).getInt("subscribers") == 0);
            List<SseClient.Event> events = stalled.readToEnd().events();
            assertThat(stalled.ended()).as("the server ended the response").isTrue();

            SseClient.Event last = events.get(events.size() - 1);
            assertThat(last.type()).isEqualTo("disconnect");
            JsonPath disconnect = data(last);
            assertThat(disconnect.getString("reason")).isEqualTo("stalled");
            assertThat(disconnect.getString("message")).isNotBlank();
            lastEventId = disconnect.getLong("lastEventId");
            assertThat(disconnect.getString("resume")).contains("Last-Event-ID: " + lastEventId);
            assertThat(ids(events, "result")).as("every result up to the one it names, once and in order")
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, lastEventId).boxed().toList());
        }
        assertThat(loadedWhileHeld).as("the loader stayed within the pace window of what the client was sent")
                .isLessThanOrEqualTo(lastEventId + WINDOW);

        JsonPath end = awaitEnd(id);
        assertThat(end.getString("state")).as("released, the run goes on to complete").isEqualTo("completed");
        assertThat(end.getLong("counts.processed")).isEqualTo(ITEMS);
        assertThat(end.getDouble("stats.loaderPacedShare")).as("the view counts the time its loader was held")
                .isPositive();

        try (SseClient back = SseClient.connect("/api/runs/" + id + "/events",
                Map.of("Last-Event-ID", Long.toString(lastEventId)))) {
            List<SseClient.Event> resumed = back.untilEnd(Duration.ofSeconds(30));
            assertThat(ids(resumed, "gap")).as("nothing it still needed was dropped").isEmpty();
            assertThat(ids(resumed, "result")).containsExactlyElementsOf(
                    LongStream.rangeClosed(lastEventId + 1, ITEMS).boxed().toList());
            assertThat(resumed.get(resumed.size() - 1).id()).isEqualTo(ITEMS + 1);
        }
    }

    @Test
    void aLosslessClientThatReadsSlowlyButSteadilyIsNeverCutOff() {
        int items = 2_000;
        String spec = RunSpecs.spec().draws(items).seed(12).inferenceMs(0).json();
        try (SocketSseClient slow = SocketSseClient.start(spec, "?fields=seq")) {
            assertThat(slow.status()).isEqualTo(201);
            // some 16 kB a second, a whole receive buffer every 250 ms: the server's write queue stays full for longer
            // than the stall timeout (its 64 kB high-water mark drains to 32 kB in some 2.6 s), yet the client takes
            // bytes at every look. (Smaller reads would not show: the kernel reopens a closed TCP window only once
            // a good part of the receive buffer is free, so a client taking 512 bytes at a time moves in jumps.)
            List<SseClient.Event> events = slow.readSlowly(SocketSseClient.RECEIVE_BUFFER, Duration.ofMillis(250))
                    .events();
            assertThat(events.stream().filter(e -> e.type().equals("disconnect")).findFirst())
                    .as("a client that kept reading is not cut off as stalled").isEmpty();
            assertThat(ids(events, "result")).containsExactlyElementsOf(LongStream.rangeClosed(1, items).boxed().toList());
            assertThat(events.get(events.size() - 1).type()).isEqualTo("end");
        }
    }

    private static List<Long> ids(List<SseClient.Event> events, String type) {
        return events.stream().filter(e -> e.type().equals(type)).map(SseClient.Event::id).toList();
    }
}
