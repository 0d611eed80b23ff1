package dev.mlpipe.stream;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.cancel;
import static dev.mlpipe.support.Api.data;
import static dev.mlpipe.support.Api.results;
import static dev.mlpipe.support.Api.run;
import static dev.mlpipe.support.Api.start;
import static dev.mlpipe.support.Api.stream;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Api;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
public class EventStreamTest {

    private static List<Long> ids(List<SseClient.Event> events) {
        return kept(events).stream().map(SseClient.Event::id).toList();
    }

    /** The results and the end: what every client of a run must see alike (stats are live only). */
    private static List<SseClient.Event> kept(List<SseClient.Event> events) {
        return events.stream().filter(e -> !e.type().equals("stats")).toList();
    }

    @Test
    void aLateClientGetsTheWholeRunFromTheStart() {
        String id = start(RunSpecs.spec().items(1, 25).noSentinel().inferenceMs(0).json());
        awaitEnd(id);

        try (SseClient client = SseClient.connect("/api/runs/" + id + "/events")) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.contentType()).startsWith("text/event-stream");
            List<SseClient.Event> events = client.untilEnd(Duration.ofSeconds(10));
            assertThat(ids(results(events))).containsExactlyElementsOf(LongStream.rangeClosed(1, 25).boxed().toList());
            assertThat(events.get(events.size() - 1).id()).isEqualTo(26);
            assertThat(data(events.get(events.size() - 1)).getString("state")).isEqualTo("completed");
            assertThat(client.closedWithin(Duration.ofSeconds(5))).as("the server ends the stream").isTrue();
        }
    }

    @Test
    void aResultEventCarriesTheItemItsPredictionAndItsTimeline() {
        String id = start(RunSpecs.spec().items(List.of(70)).inferenceMs(30).json());
        JsonAssert result = new JsonAssert(data(results(stream(id)).get(0)));

        result.hasInt("seq", 1).hasInt("value", 70).hasString("prediction", "high").hasInt("queueDepth", 1);
        assertThat(result.json.getDouble("score")).isEqualTo(0.8808);
        long loaded = result.json.getLong("loadedUs");
        long enqueued = result.json.getLong("enqueuedUs");
        long started = result.json.getLong("startedUs");
        long finished = result.json.getLong("finishedUs");
        assertThat(loaded).isPositive().isLessThanOrEqualTo(enqueued);
        assertThat(enqueued).isLessThanOrEqualTo(started);
        assertThat(finished - started).as("inference waited its 30 ms").isGreaterThanOrEqualTo(30_000);
    }

    @Test
    void lastEventIdResumesAfterItWithoutGapOrDuplicate() {
        String id = start(RunSpecs.spec().items(1, 20).noSentinel().inferenceMs(0).json());
        awaitEnd(id);

        try (SseClient client = SseClient.connect("/api/runs/" + id + "/events", Map.of("Last-Event-ID", "12"))) {
            assertThat(ids(client.untilEnd(Duration.ofSeconds(10)))).containsExactly(13L, 14L, 15L, 16L, 17L, 18L, 19L,
                    20L, 21L);
        }
        try (SseClient client = SseClient.connect("/api/runs/" + id + "/events?lastEventId=18")) {
            assertThat(ids(client.untilEnd(Duration.ofSeconds(10)))).containsExactly(19L, 20L, 21L);
        }
        // a reconnecting browser sends the header and keeps the first connection's query: the header wins
        try (SseClient client = SseClient.connect("/api/runs/" + id + "/events?lastEventId=2",
                Map.of("Last-Event-ID", "19"))) {
            assertThat(ids(client.untilEnd(Duration.ofSeconds(10)))).containsExactly(20L, 21L);
        }
    }

    @Test
    void aClientThatReconnectsMidRunMissesNothingAndSeesNothingTwice() {
        String id = start(RunSpecs.spec().items(1, 40).noSentinel().inferenceMs(10).json());
        List<SseClient.Event> seen = new ArrayList<>();
        try (SseClient first = SseClient.connect("/api/runs/" + id + "/events")) {
            for (int i = 0; i < 5; i++) {
                seen.add(first.next(Duration.ofSeconds(10)));
            }
        }
        long last = seen.get(seen.size() - 1).id();
        try (SseClient second = SseClient.connect("/api/runs/" + id + "/events",
                Map.of("Last-Event-ID", Long.toString(last)))) {
            seen.addAll(second.untilEnd(Duration.ofSeconds(10)));
        }

        assertThat(ids(results(seen))).containsExactlyElementsOf(LongStream.rangeClosed(1, 40).boxed().toList());
        JsonPath end = awaitEnd(id);
        assertThat(end.getString("state")).as("dropping the connection left the run going").isEqualTo("completed");
        assertThat(end.getLong("counts.processed")).isEqualTo(40);
    }

    @Test
    void aClientThatHasSeenTheEndGetsNoContentSoABrowserStopsReconnecting() {
        String id = start(RunSpecs.spec().items(List.of(1, 2, 3)).inferenceMs(0).json());
        List<SseClient.Event> events = stream(id);
        long endId = events.get(events.size() - 1).id();

        given().header("Last-Event-ID", Long.toString(endId))
                .when().get("/api/runs/" + id + "/events")
                .then().statusCode(204);
        try (SseClient client = SseClient.connect("/api/runs/" + id + "/events",
                Map.of("Last-Event-ID", Long.toString(endId - 1)))) {
            assertThat(client.untilEnd(Duration.ofSeconds(5))).extracting(SseClient.Event::type).containsExactly("end");
        }
    }

    @Test
    void twoClientsOfOneRunSeeTheSameCompleteStream() {
        String id = start(RunSpecs.spec().items(1, 30).noSentinel().inferenceMs(5).json());
        try (SseClient a = SseClient.connect("/api/runs/" + id + "/events");
                SseClient b = SseClient.connect("/api/runs/" + id + "/events")) {
            List<SseClient.Event> fromA = kept(a.untilEnd(Duration.ofSeconds(10)));
            List<SseClient.Event> fromB = kept(b.untilEnd(Duration.ofSeconds(10)));
            assertThat(fromA).hasSize(31).isEqualTo(fromB);
        }
    }

    @Test
    void aClientThatGoesAwayFreesItsSubscriptionAndTheRunGoesOn() {
        String id = start(RunSpecs.spec().items(1, 1000).noSentinel().inferenceMs(0).loadIntervalMs(20).json());
        int before = Api.pipeline().getInt("subscribers");
        try (SseClient client = SseClient.connect("/api/runs/" + id + "/events")) {
            client.next(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(5)).until(() -> Api.pipeline().getInt("subscribers") == before + 1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> Api.pipeline().getInt("subscribers") == before);
        long loaded = run(id).getLong("counts.loaded");
        await().atMost(Duration.ofSeconds(5)).until(() -> run(id).getLong("counts.loaded") > loaded);
        assertThat(cancel(id).getString("state")).isEqualTo("cancelled");
    }

    @Test
    void anUnknownRunIsNotFoundBeforeAnyStreamStarts() {
        given().when().get("/api/runs/0123456789ab/events").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("0123456789ab"));
        given().when().get("/api/runs/nope/events").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("id"));
    }

    @Test
    void aLastEventIdThatIsNotANumberIsABadRequest() {
        String id = start(RunSpecs.spec().items(List.of(1)).inferenceMs(0).json());
        for (String bad : List.of("abc", "-3", "1.5", "9".repeat(40))) {
            given().header("Last-Event-ID", bad)
                    .when().get("/api/runs/" + id + "/events")
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("Last-Event-ID"));
        }
        given().when().get("/api/runs/" + id + "/events?lastEventId=x").then().statusCode(400);
    }

    /** Small fluent checks on one event's JSON data. */
    private record JsonAssert(io.restassured.path.json.JsonPath json) {
        JsonAssert hasInt(String field, int expected) {
            assertThat(json.getInt(field)).as(field).isEqualTo(expected);
            return this;
        }

        JsonAssert hasString(String field, String expected) {
            assertThat(json.getString(field)).as(field).isEqualTo(expected);
            return this;
        }
    }
}
