package dev.mlpipe.model;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.cancel;
import static dev.mlpipe.support.Api.data;
import static dev.mlpipe.support.Api.results;
import static dev.mlpipe.support.Api.start;
import static dev.mlpipe.support.Api.stream;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipe.support.Api;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Real models behind the queue: the shipped digits model on its dataset through whole runs, a dataset with a broken
 * row, each model's own queue, and the run specs a tensor model refuses.
 */
@QuarkusTest
class ModelRunsTest {

    private static final int DIGITS_ROWS = 1797;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** An event's data as a tree: RestAssured's JsonPath compiles a script per query, far too slow for 1,797 events. */
    private static JsonNode tree(SseClient.Event event) {
        try {
            return JSON.readTree(event.data());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void settings(String model, Map<String, Object> change) {
        given().contentType(ContentType.JSON).body(change).when().put("/api/models/" + model).then().statusCode(200);
    }

    private static List<String> resourceLines(String resource) throws IOException {
        try (InputStream in = ModelRunsTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    @ParameterizedTest(name = "max batch {0}")
    @ValueSource(ints = { 1, 7, 64 })
    void everyDigitGetsItsGoldenPredictionThroughARun(int maxBatch) throws IOException {
        List<String> golden = resourceLines("golden/digits.csv");
        Properties expected = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("golden/digits-accuracy.txt")) {
            expected.load(in);
        }
        settings("digits", Map.of("maxBatchSize", maxBatch, "capacity", 256));
        try {
            String id = start(RunSpecs.spec().model("digits").dataset("digits", 1).json());
            List<SseClient.Event> results = results(stream(id));

            assertThat(results).hasSize(DIGITS_ROWS);
            int largest = 0;
            for (SseClient.Event event : results) {
                JsonNode result = tree(event);
                int row = result.get("row").asInt();
                String[] cells = golden.get(1 + row).split(",");
                assertThat(result.get("prediction").asText()).as("row %d", row).isEqualTo(cells[11]);
                assertThat(result.get("correct").asBoolean()).isEqualTo(cells[11].equals(result.get("label").asText()));
                assertThat(result.has("value")).isFalse();
                largest = Math.max(largest, result.get("batchSize").asInt());
            }
            assertThat(largest).as("batches never above the setting").isLessThanOrEqualTo(maxBatch);
            JsonPath end = awaitEnd(id);
            assertThat(end.getString("state")).isEqualTo("completed");
            assertThat(end.getLong("counts.processed")).isEqualTo(DIGITS_ROWS);
            assertThat(String.format("%.6f", end.getDouble("accuracy.accuracy")))
                    .isEqualTo(expected.getProperty("accuracy"));
            Map<String, Map<String, Integer>> confusion = end.getMap("accuracy.confusion");
            assertThat(confusion.values().stream().flatMap(m -> m.values().stream()).mapToInt(Integer::intValue).sum())
                    .isEqualTo(DIGITS_ROWS);
        } finally {
            settings("digits", Map.of("maxBatchSize", 1, "capacity", 10));
        }
    }

    @Test
    void inputsAndOutputsComeWhenAskedFor() {
        String id = start(RunSpecs.spec().model("digits").dataset("digits", 1).maxItems(3).json());
        awaitEnd(id);
        try (SseClient client = SseClient.connect("/api/runs/" + id + "/events?fields=row,prediction,input,outputs")) {
            JsonPath first = data(results(client.untilEnd(Duration.ofSeconds(30))).get(0));
            assertThat(first.getList("input")).hasSize(64);
            assertThat(first.getList("outputs")).hasSize(10);
            assertThat(first.getMap("")).containsOnlyKeys("row", "prediction", "input", "outputs");
        }
    }

    @Test
    void aBrokenRowFailsAloneAndTheRunGoesOn() {
        String id = start(RunSpecs.spec().model("digits").dataset("digits-broken", 1).json());
        List<SseClient.Event> events = stream(id);
        JsonPath end = awaitEnd(id);

        assertThat(end.getString("state")).isEqualTo("completed");
        assertThat(end.getLong("counts.processed")).isEqualTo(99);
        assertThat(end.getLong("counts.failed")).isEqualTo(1);
        assertThat(end.getLong("counts.loaded")).isEqualTo(end.getLong("counts.processed") + end.getLong("counts.failed")
                + end.getLong("counts.dropped") + end.getLong("counts.cancelled") + end.getLong("counts.expired"));
        SseClient.Event failed = events.stream().filter(e -> e.type().equals("failed")).findFirst().orElseThrow();
        assertThat(failed.id()).as("in its place").isEqualTo(51);
        assertThat(data(failed).getString("reason")).contains("digits-broken", "line 52", "f10", "not a number");
    }

    @Test
    void aRepeatedDatasetGivesEveryPassTheFirstPassesRowsPredictionsAndFailure() {
        int repeat = 3;
        String id = start(RunSpecs.spec().model("digits").dataset("digits-broken", repeat).json());
        List<SseClient.Event> events = stream(id);
        JsonPath end = awaitEnd(id);

        assertThat(end.getString("state")).isEqualTo("completed");
        assertThat(end.getLong("counts.processed")).isEqualTo(99L * repeat);
        assertThat(end.getLong("counts.failed")).isEqualTo(repeat);
        List<SseClient.Event> failed = events.stream().filter(e -> e.type().equals("failed")).toList();
        assertThat(failed).extracting(SseClient.Event::id).as("in its place on every pass").containsExactly(51L, 151L,
                251L);
        assertThat(failed).extracting(e -> data(e).getString("reason")).containsOnly(data(failed.get(0))
                .getString("reason"));
        List<String> rows = results(events).stream().map(e -> {
            JsonNode result = tree(e);
            return result.get("row").asText() + " " + result.get("label").asText() + " "
                    + result.get("prediction").asText();
        }).toList();
        assertThat(rows.subList(99, 198)).as("the second pass").isEqualTo(rows.subList(0, 99));
        assertThat(rows.subList(198, 297)).as("the third pass").isEqualTo(rows.subList(0, 99));
    }

    @Test
    void aSlowSimulatedRunDoesNotHoldADigitsRun() {
        String slow = start(RunSpecs.spec().inferenceMs(20).noSentinel().maxItems(1000).json());
        try {
            // its queue is full: its items wait about 10 x 20 ms
            await().atMost(Duration.ofSeconds(30)).until(() -> Api.run(slow).getLong("counts.processed") >= 15);
            String digits = start(RunSpecs.spec().model("digits").dataset("digits", 1).maxItems(300).json());
            double digitsWait = meanQueueWaitMs(results(stream(digits)));
            cancel(slow);
            double slowWait = meanQueueWaitMs(results(stream(slow)));

            assertThat(awaitEnd(digits).getLong("counts.processed")).isEqualTo(300);
            assertThat(digitsWait).as("a digits item's mean wait in its queue, against a simulated one's (%s ms)",
                    slowWait).isLessThan(slowWait / 10);
        } finally {
            cancel(slow);
        }
    }

    private static double meanQueueWaitMs(List<SseClient.Event> results) {
        return results.stream().mapToDouble(e -> tree(e).get("queueWaitMs").asDouble()).average().orElseThrow();
    }

    @Test
    void theModelsAreListedWithWhatTheirFilesDeclare() {
        given().get("/api/models").then().statusCode(200)
                .body("name", org.hamcrest.Matchers.hasItems("simulated", "digits"));
        given().get("/api/models/digits").then().statusCode(200)
                .body("backend", equalTo("onnx"))
                .body("inputs[0].datatype", equalTo("FP32"))
                .body("inputs[0].shape", equalTo(List.of(-1, 64)))
                .body("outputs[0].shape", equalTo(List.of(-1, 10)))
                .body("batched", equalTo(true))
                .body("settings.capacity", equalTo(10));
        given().get("/api/models/nope").then().statusCode(404).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"maxBatchSize\":0}").when().put("/api/models/digits").then()
                .statusCode(400).body("errors[0].field", containsString("maxBatchSize"));
    }

    static Stream<Arguments> badSpecs() {
        String row = "[" + String.join(",", java.util.Collections.nCopies(64, "1")) + "]";
        return Stream.of(
                Arguments.of("{\"model\":\"nope\"}", "model", "names no model"),
                Arguments.of("{\"model\":\"digits\",\"items\":[" + row + ",[1,2]]}", "items[1]", "takes 64"),
                Arguments.of("{\"model\":\"digits\",\"dataset\":\"../etc/passwd\"}", "dataset", "not a path"),
                Arguments.of("{\"model\":\"digits\",\"dataset\":\"nowhere\"}", "dataset", "names no dataset"),
                Arguments.of("{\"model\":\"digits\",\"dataset\":\"digits\",\"repeat\":0}", "repeat", "at least 1"),
                Arguments.of("{\"model\":\"digits\",\"dataset\":\"digits\",\"repeat\":1001}", "repeat", "at most 1000"),
                Arguments.of("{\"model\":\"digits\",\"sentinel\":3}", "sentinel", "simulated model only"),
                Arguments.of("{\"model\":\"digits\",\"inferenceMs\":3}", "inferenceMs", "simulated model only"),
                Arguments.of("{\"model\":\"digits\",\"dataset\":\"digits\",\"seed\":3}", "seed", "with dataset"));
    }

    @Test
    void aTensorRunsWorstCaseCountsTheModelsMeasuredTimePerItem() {
        // 864,000 items 100 ms apart take the whole default mlpipe.runs.max-duration (24 h) to load: the model's own
        // time per item, measured since its start, takes the run beyond it
        String tooLong = RunSpecs.spec().model("digits").dataset("digits", 1000).maxItems(864_000).loadIntervalMs(100)
                .json();
        given().contentType(ContentType.JSON).body(tooLong).when().post("/api/runs").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("maxItems"))
                .body("errors[0].rule", containsString("the model's measured mean time per item"))
                .body("errors[0].rule", containsString("(864000 x (100 + "))
                .body("errors[0].rule", containsString("mlpipe.runs.max-duration"));

        String id = start(RunSpecs.spec().model("digits").dataset("digits", 1000).maxItems(800_000)
                .loadIntervalMs(100).json());
        cancel(id); // 22.2 h and the model's time: within the bound
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void aBadSpecIsAProblemNamingTheField(String body, String field, String rule) {
        given().contentType(ContentType.JSON).body(body).when().post("/api/runs").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo(field))
                .body("errors[0].rule", containsString(rule));
    }

    @Test
    void listedRowsAndRandomRowsRunOnATensorModel() {
        String row = "[" + String.join(",", java.util.Collections.nCopies(64, "3")) + "]";
        String listed = start("{\"model\":\"digits\",\"items\":[" + row + "," + row + "]}");
        assertThat(awaitEnd(listed).getLong("counts.processed")).isEqualTo(2);
        String random = start("{\"model\":\"digits\",\"seed\":5,\"min\":0,\"max\":16,\"maxItems\":50}");
        JsonPath end = awaitEnd(random);
        assertThat(end.getLong("counts.processed")).isEqualTo(50);
        assertThat(end.getDouble("spec.max")).isEqualTo(16.0);
    }

    @Test
    void aSweepVariesTheBatchSizeOfItsModelAndRestoresIt() {
        String id = given().contentType(ContentType.JSON).body(Map.of("model", "digits",
                "run", RunSpecs.spec().dataset("digits", 1).maxItems(400).fields(),
                "vary", Map.of("maxBatchSize", List.of(1, 16)), "repeats", 1))
                .when().post("/api/sweeps").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> !"running".equals(
                given().get("/api/sweeps/" + id).jsonPath().getString("state")));
        JsonPath sweep = given().get("/api/sweeps/" + id).jsonPath();

        assertThat(sweep.getString("state")).isEqualTo("completed");
        for (int i = 0; i < 2; i++) {
            JsonPath run = given().get("/api/runs/" + sweep.getString("steps[" + i + "].runs[0]")).jsonPath();
            assertThat(run.getString("spec.model")).isEqualTo("digits");
            assertThat(run.getLong("counts.processed")).isEqualTo(400);
            assertThat(run.getInt("stats.batches.sizeMax")).isLessThanOrEqualTo(i == 0 ? 1 : 16);
        }
        given().get("/api/models/digits").then().body("settings.maxBatchSize", equalTo(1));
        given().contentType(ContentType.JSON).body(Map.of("model", "nope", "vary", Map.of("seed", List.of(1, 2))))
                .when().post("/api/sweeps").then().statusCode(400).body("errors[0].field", equalTo("model"));
    }
}
