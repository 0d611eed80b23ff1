package dev.mlpipe.model;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipe.support.Management;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.ScriptedV2Server;
import dev.mlpipe.support.ScriptedV2Server.Behaviour;
import dev.mlpipe.support.SseClient;
import dev.mlpipe.support.V2Settings;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * A model that is a remote v2 server ({@code backend=v2}) against a scripted one: each batch one request, every row's
 * output back in its place, and each fault ending as the docs say, every item accounted for.
 */
@QuarkusTest
@TestProfile(V2Settings.class)
class V2ClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Four rows: one batch of the remote model (max batch 4, a batch delay long enough for all four). */
    private static final List<List<Integer>> ROWS = List.of(List.of(1, 2, 3, 4), List.of(5, 6, 7, 8),
            List.of(0, 0, 0, 9), List.of(2, 2, 2, 2));

    @BeforeEach
    void remoteIsReady() {
        ScriptedV2Server.next();
        await().atMost(Duration.ofSeconds(30)).until(() -> "ready".equals(
                given().get("/api/models/remote").then().extract().path("state")));
    }

    @Test
    void theRemoteModelTakesWhatItsServerSaysItTakes() {
        JsonPath model = given().get("/api/models/remote").then().statusCode(200).extract().jsonPath();
        assertThat(model.getString("backend")).isEqualTo("v2");
        assertThat(model.getString("path")).matches("http://127\\.0\\.0\\.1:\\d+/v2/models/adder");
        assertThat(model.getString("inputs[0].name")).isEqualTo("x");
        assertThat(model.getList("inputs[0].shape", Integer.class)).containsExactly(-1, 4);
        assertThat(model.getList("outputs[0].shape", Integer.class)).containsExactly(-1, 2);
        assertThat(model.getBoolean("batched")).isTrue();
    }

    @Test
    void aBatchIsOneRequestAndEachRowGetsItsOwnOutputBinaryOrJson() {
        for (String model : List.of("remote", "remote-json")) {
            int before = ScriptedV2Server.REQUESTS.size();
            List<JsonNode> results = run(model, ROWS);

            assertThat(results).hasSize(4);
            for (JsonNode result : results) {
                List<Integer> row = ROWS.get(result.get("row").asInt());
                float sum = row.stream().mapToInt(Integer::intValue).sum();
                assertThat(floats(result.get("outputs"))).as(model).containsExactly(sum, (float) row.get(0));
                assertThat(result.get("prediction").asText()).isEqualTo(sum >= row.get(0) ? "0" : "1");
            }
            if (model.equals("remote")) {
                assertThat(ScriptedV2Server.REQUESTS.subList(before, ScriptedV2Server.REQUESTS.size()))
                        .as("four rows, one request").containsExactly(4);
            }
        }
    }

    @Test
    void aServerThatIsBusyOnceIsAskedAgainAndNothingIsLost() {
        ScriptedV2Server.next(Behaviour.UNAVAILABLE, Behaviour.DROP);
        int before = ScriptedV2Server.REQUESTS.size();

        JsonPath end = runToEnd("remote", ROWS);
        assertThat(end.getLong("counts.processed")).isEqualTo(4);
        assertThat(end.getLong("counts.failed")).isZero();
        assertThat(ScriptedV2Server.REQUESTS.size() - before).as("503, dropped, answered").isEqualTo(3);
    }

    @Test
    void aBatchTheServerRefusesIsSentAgainRowByRowSoTheBadRowFailsAlone() {
        List<List<Integer>> rows = List.of(ROWS.get(0), List.of(1, 666, 1, 1), ROWS.get(2), ROWS.get(3));

        List<SseClient.Event> events = events("remote", rows);
        List<SseClient.Event> failed = events.stream().filter(e -> e.type().equals("failed")).toList();
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).data()).contains("\"seq\":2").contains("the v2 server answered 400: a row holds 666");
        assertThat(events.stream().filter(e -> e.type().equals("result"))).hasSize(3);
    }

    @Test
    void answersThatCannotBeReadFailTheirRowsWithTheReason() {
        for (Behaviour behaviour : List.of(Behaviour.MALFORMED, Behaviour.WRONG_SHAPE)) {
            ScriptedV2Server.next(behaviour);
            List<SseClient.Event> events = events("remote", ROWS);
            List<SseClient.Event> failed = events.stream().filter(e -> e.type().equals("failed")).toList();
            assertThat(failed).as(behaviour.name()).hasSize(4);
            assertThat(failed.get(0).data()).contains("answer is unusable");
        }
    }

    @Test
    void aServerThatNeverAnswersFailsTheRowsAfterItsRetries() {
        ScriptedV2Server.next(Behaviour.SLOW, Behaviour.SLOW, Behaviour.SLOW);
        int before = ScriptedV2Server.REQUESTS.size();

        List<SseClient.Event> events = events("remote", ROWS);
        List<SseClient.Event> failed = events.stream().filter(e -> e.type().equals("failed")).toList();
        assertThat(failed).hasSize(4);
        assertThat(failed.get(0).data()).contains("did not answer after 3 tries");
        assertThat(ScriptedV2Server.REQUESTS.size() - before).as("the first try and two retries").isEqualTo(3);
    }

    @Test
    void aModelWhoseServerIsAwayIsNotReadyAndSaysWhy() {
        JsonPath model = given().get("/api/models/absent").then().statusCode(200).extract().jsonPath();
        assertThat(model.getString("state")).isEqualTo("not-ready");
        assertThat(model.getString("why")).contains("did not say what it takes");

        JsonPath refused = given().contentType("application/json").body(RunSpecs.spec().model("absent").json())
                .post("/api/runs").then().statusCode(503).header("Retry-After", "5").extract().jsonPath();
        assertThat(refused.getString("detail")).contains("model absent is not ready");

        JsonPath ready = Management.given().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
        assertThat(ready.getList("checks.findAll { it.name == 'models ready' }.data.absent")).hasSize(1);
        given().get("/v2/models/absent/ready").then().statusCode(400);
    }

    private static List<JsonNode> run(String model, List<List<Integer>> rows) {
        List<JsonNode> results = new ArrayList<>();
        for (SseClient.Event event : events(model, rows)) {
            if (event.type().equals("result")) {
                results.add(tree(event));
            }
        }
        return results;
    }

    private static List<SseClient.Event> events(String model, List<List<Integer>> rows) {
        try (SseClient stream = SseClient.follow(RunSpecs.spec().model(model).with("items", rows).json(),
                "?fields=row,prediction,outputs")) {
            assertThat(stream.status()).as("%s", stream.status() == 201 ? "" : stream.problem().prettify()).isEqualTo(201);
            return stream.untilEnd(Duration.ofSeconds(30));
        }
    }

    private static JsonPath runToEnd(String model, List<List<Integer>> rows) {
        List<SseClient.Event> events = events(model, rows);
        SseClient.Event end = events.get(events.size() - 1);
        assertThat(end.type()).isEqualTo("end");
        return new JsonPath(end.data());
    }

    private static List<Float> floats(JsonNode array) {
        List<Float> values = new ArrayList<>();
        array.forEach(value -> values.add(value.floatValue()));
        return values;
    }

    private static JsonNode tree(SseClient.Event event) {
        try {
            return JSON.readTree(event.data());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
