package dev.mlpipe.stream;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.data;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.HeldClients;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SocketSseClient;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * A live client never holds its run up: one that reads nothing at all leaves the run to go its own speed, and when it
 * reads again it skips ahead, told by a gap event which ids it missed, to the end. The stall timeout is longer than
 * the run, so the client is never cut off here (that is StalledClientTest's matter).
 */
@QuarkusTest
@TestProfile(HeldClients.class)
public class LiveDeliveryTest {

    private static final int ITEMS = 20_000;

    @Test
    void aLiveClientThatReadsNothingNeverSlowsItsRunAndSkipsToTheEndWhenItReads() {
        try (SocketSseClient live = SocketSseClient.start(RunSpecs.spec().draws(ITEMS).seed(31).inferenceMs(0).json(),
                "?mode=live")) {
            assertThat(live.status()).isEqualTo(201);
            String id = live.header("Location").substring("/api/runs/".length());

            JsonPath end = awaitEnd(id);
            assertThat(end.getString("state")).isEqualTo("completed");
            assertThat(end.getLong("counts.processed")).isEqualTo(ITEMS);
            assertThat(end.getDouble("stats.loaderPacedShare")).as("its loader never waited for the live client")
                    .isZero();
            assertThat(end.getString("stats.verdict")).isNotEqualTo("reader-bound");

            List<SseClient.Event> events = live.readToEnd().events().stream()
                    .filter(e -> !e.type().equals("stats")).toList();
            assertThat(live.ended()).as("the server ended the response").isTrue();
            assertThat(events).extracting(SseClient.Event::type).doesNotContain("disconnect");
            SseClient.Event last = events.get(events.size() - 1);
            assertThat(last.type()).isEqualTo("end");
            assertThat(last.id()).isEqualTo(ITEMS + 1);
            assertEveryIdIsDeliveredOrAnnounced(events);
            assertThat(events).extracting(SseClient.Event::type).as("it fell behind, so it skipped some").contains("gap");
        }
    }

    /** Each id up to the end is either a result the client got or inside a gap it was told of, in order. */
    private static void assertEveryIdIsDeliveredOrAnnounced(List<SseClient.Event> events) {
        long next = 1;
        for (SseClient.Event event : events) {
            switch (event.type()) {
                case "gap" -> {
                    JsonPath gap = data(event);
                    assertThat(gap.getLong("firstMissed")).as("a gap starts after what came before it").isEqualTo(next);
                    assertThat(gap.getLong("lastMissed")).isGreaterThanOrEqualTo(next);
                    assertThat(gap.getString("message")).isNotBlank();
                    next = gap.getLong("lastMissed") + 1;
                }
                case "result", "end" -> {
                    assertThat(event.id()).as("the %s after id %d", event.type(), next - 1).isEqualTo(next);
                    next++;
                }
                default -> throw new AssertionError("an event a live client does not expect: " + event);
            }
        }
    }
}
