package dev.mlpipe.stream;

import static dev.mlpipe.support.Api.data;
import static dev.mlpipe.support.Api.results;
import static dev.mlpipe.support.Api.start;
import static dev.mlpipe.support.Api.view;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mlpipe.support.ParsedJson;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * {@code POST /api/runs} with {@code Accept: text/event-stream} starts a run and answers its stream on the same
 * response, its reader there before the first value is drawn: a client that starts a run this way misses nothing of
 * it, however fast the run. What it may ask for ({@code mode}, {@code fields}) and what it may send are checked as for
 * the other routes, and a bad request starts nothing.
 */
@QuarkusTest
public class FollowFromTheStartTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SPEC = RunSpecs.spec().items(List.of(7, 70, 42)).noSentinel().inferenceMs(0).json();

    @Test
    void aClientThatStartsARunWithItsStreamGetsEveryResultFromTheFirst() {
        for (int attempt = 1; attempt <= 200; attempt++) {
            try (SseClient follow = SseClient.follow(SPEC, "")) {
                String why = "attempt " + attempt;
                assertThat(follow.status()).as(why).isEqualTo(201);
                assertThat(follow.contentType()).as(why).startsWith("text/event-stream");
                String location = follow.header("Location");
                assertThat(location).as(why).matches("/api/runs/[0-9a-f]{12}");
                String id = location.substring("/api/runs/".length());
                assertThat(follow.firstLine(Duration.ofSeconds(10))).as(why).isEqualTo(": run " + id);

                List<SseClient.Event> events = kept(follow.untilEnd(Duration.ofSeconds(10)));
                assertThat(events).extracting(SseClient.Event::type).as(why)
                        .containsExactly("result", "result", "result", "end");
                assertThat(events).extracting(SseClient.Event::id).as(why).containsExactly(1L, 2L, 3L, 4L);
                assertThat(results(events)).extracting(e -> json(e).get("value").asInt()).as(why)
                        .containsExactly(7, 70, 42);
                assertThat(json(events.get(3)).get("id").asText()).as(why).isEqualTo(id);
            }
        }
    }

    @Test
    void fieldsSendsOnlyTheFieldsAskedForWhenFollowingAndWhenReadingLater() {
        String id;
        try (SseClient follow = SseClient.follow(SPEC, "?fields=seq,value")) {
            assertThat(follow.status()).isEqualTo(201);
            id = follow.header("Location").substring("/api/runs/".length());
            assertOnlySeqAndValue(follow.untilEnd(Duration.ofSeconds(10)));
        }
        try (SseClient later = SseClient.connect("/api/runs/" + id + "/events?fields=value,seq")) {
            assertOnlySeqAndValue(later.untilEnd(Duration.ofSeconds(10)));
        }
    }

    private static void assertOnlySeqAndValue(List<SseClient.Event> events) {
        List<SseClient.Event> results = results(events);
        assertThat(results).hasSize(3);
        assertThat(results).allSatisfy(e -> assertThat(data(e).getMap("$").keySet()).containsOnly("seq", "value"));
        assertThat(results).extracting(e -> data(e).getInt("seq")).containsExactly(1, 2, 3);
        assertThat(results).extracting(e -> data(e).getInt("value")).containsExactly(7, 70, 42);
    }

    static Stream<Arguments> badQueries() {
        return Stream.of(
                Arguments.of("?mode=fast", "mode"),
                Arguments.of("?mode=", "mode"),
                Arguments.of("?fields=seq,nope", "fields"),
                Arguments.of("?fields=", "fields"),
                Arguments.of("?fields=seq,,value", "fields"),
                Arguments.of("?mode=live&fields=seq,nope", "fields"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badQueries")
    void aBadModeOrFieldsIsAProblemNamingItOnBothRoutesAndStartsNothing(String query, String field) {
        String id = start(SPEC);
        given().when().get("/api/runs/" + id + "/events" + query)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo(field));

        String newestBefore = newestRun();
        try (SseClient follow = SseClient.follow(SPEC, query)) {
            assertThat(follow.status()).isEqualTo(400);
            assertThat(follow.contentType()).startsWith("application/problem+json");
            assertThat(follow.problem().getString("errors[0].field")).isEqualTo(field);
        }
        assertThat(newestRun()).as("no run was started").isEqualTo(newestBefore);
    }

    /** Every bad spec RunValidationTest checks: the same problem when the client asks to follow. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.mlpipe.run.RunValidationTest#badSpecs")
    void aBadSpecWhenFollowingIsTheSameProblemAsWithoutAndStartsNothing(String body, String field, String rule) {
        JsonPath plain = new ParsedJson(given().contentType(ContentType.JSON).body(body)
                .when().post("/api/runs")
                .then().statusCode(400).extract().asString());
        String newestBefore = newestRun();

        try (SseClient follow = SseClient.post("", "application/json", body)) {
            assertThat(follow.status()).isEqualTo(400);
            assertThat(follow.contentType()).startsWith("application/problem+json");
            JsonPath problem = follow.problem();
            assertThat(problem.getInt("status")).isEqualTo(400);
            assertThat(problem.getString("errors[0].field")).isEqualTo(field);
            assertThat(problem.getString("errors[0].rule")).contains(rule);
            assertThat(problem.getString("detail")).contains(field);
            assertThat(problem.getList("errors")).as("the problem the plain POST answers")
                    .isEqualTo(plain.getList("errors"));
        }
        assertThat(newestRun()).as("no run was started").isEqualTo(newestBefore);
    }

    @Test
    void aBodyThatIsNotJsonIsUnsupportedWhenFollowingToo() {
        String newestBefore = newestRun();
        try (SseClient follow = SseClient.post("", "text/plain", "seed=7")) {
            assertThat(follow.status()).isEqualTo(415);
            assertThat(follow.contentType()).startsWith("application/problem+json");
            assertThat(follow.problem().getInt("status")).isEqualTo(415);
        }
        assertThat(newestRun()).as("no run was started").isEqualTo(newestBefore);
    }

    @Test
    void aPlainPostStillAnswersTheRunAsJson() {
        given().contentType(ContentType.JSON).accept(ContentType.JSON).body(SPEC)
                .when().post("/api/runs")
                .then().statusCode(201)
                .contentType(ContentType.JSON)
                .header("Location", containsString("/api/runs/"))
                .body("spec.itemCount", equalTo(3));
    }

    /** The newest run the service lists: a run started would come first (older ones may be evicted meanwhile). */
    private static String newestRun() {
        return view("/api/runs").getString("[0].id");
    }

    /** Jackson rather than JsonPath: two hundred runs' events are parsed in this class. */
    private static JsonNode json(SseClient.Event event) {
        try {
            return MAPPER.readTree(event.data());
        } catch (JsonProcessingException e) {
            throw new AssertionError("event " + event.id() + " holds no JSON: " + event.data(), e);
        }
    }

    private static List<SseClient.Event> kept(List<SseClient.Event> events) {
        return events.stream().filter(e -> !e.type().equals("stats")).toList();
    }
}
