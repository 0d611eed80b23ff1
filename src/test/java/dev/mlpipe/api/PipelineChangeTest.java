package dev.mlpipe.api;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.cancel;
import static dev.mlpipe.support.Api.data;
import static dev.mlpipe.support.Api.PIPELINE_SETTINGS;
import static dev.mlpipe.support.Api.pipeline;
import static dev.mlpipe.support.Api.pipelineSettings;
import static dev.mlpipe.support.Api.restorePipeline;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.mlpipe.problem.Problem;
import dev.mlpipe.support.RunSpecs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * {@code PUT /api/pipeline} changes the queue's capacity and the model's concurrency and batching of the running
 * service: each change shows in what runs do from then on, and every item loaded is still accounted for. Each test
 * puts the settings back as it found them and cancels the runs it started, for the tests that share this service.
 */
@QuarkusTest
class PipelineChangeTest {

    private Map<String, Object> before;
    private final List<String> started = new ArrayList<>();

    @BeforeEach
    void rememberTheSettings() {
        before = pipelineSettings();
    }

    @AfterEach
    void restoreTheSettingsAndCancelTheRuns() {
        started.forEach(id -> cancel(id));
        restorePipeline(before);
    }

    private static Response put(Object body) {
        return given().contentType(ContentType.JSON).body(body).when().put("/api/pipeline");
    }

    private static JsonPath change(Map<String, Object> fields) {
        return put(fields).then().statusCode(200).extract().jsonPath();
    }

    private String startRun(RunSpecs spec) {
        String id = start(spec.json());
        started.add(id);
        return id;
    }

    private static void awaitProcessed(String id, long atLeast) {
        await().atMost(Duration.ofSeconds(30)).until(() -> run(id).getLong("counts.processed") >= atLeast);
    }

    /** The run's accounting adds up, and each processed item was streamed once, in load order. */
    private static List<JsonPath> assertConserved(String id) {
        JsonPath end = awaitEnd(id);
        long loaded = end.getLong("counts.loaded");
        long processed = end.getLong("counts.processed");
        assertThat(loaded).as("run %s: loaded = processed + dropped + cancelled", id)
                .isEqualTo(processed + end.getLong("counts.dropped") + end.getLong("counts.cancelled"));
        List<JsonPath> results = results(stream(id)).stream().map(e -> data(e)).toList();
        assertThat(results.stream().map(r -> r.getLong("seq")).toList()).as("run %s: each processed item once", id)
                .hasSize((int) processed).doesNotHaveDuplicates().isSorted();
        return results;
    }

    /** The most results of a run that were being inferred at one moment, by their own start and finish times. */
    private static int mostAtOnce(List<JsonPath> results) {
        int most = 0;
        for (JsonPath at : results) {
            long t = at.getLong("startedUs");
            int during = (int) results.stream()
                    .filter(r -> r.getLong("startedUs") <= t && t < r.getLong("finishedUs"))
                    .map(r -> r.getLong("batchId")).distinct().count();
            most = Math.max(most, during);
        }
        return most;
    }

    @Test
    void thePutAnswersTheNewSettingsAndGetShowsThem() {
        JsonPath answer = change(Map.of("capacity", 7, "concurrency", 3, "maxBatchSize", 5, "batchDelayMs", 2.5));

        for (JsonPath view : List.of(answer, pipeline())) {
            assertThat(view.getInt("capacity")).isEqualTo(7);
            assertThat(view.getInt("concurrency")).isEqualTo(3);
            assertThat(view.getInt("maxBatchSize")).isEqualTo(5);
            assertThat(view.getDouble("batchDelayMs")).isEqualTo(2.5);
        }
    }

    @Test
    void anAbsentFieldKeepsItsValue() {
        change(Map.of("capacity", 4));
        JsonPath answer = change(Map.of("concurrency", 2));

        assertThat(answer.getInt("capacity")).isEqualTo(4);
        assertThat(answer.getInt("concurrency")).isEqualTo(2);
        assertThat(answer.getInt("maxBatchSize")).isEqualTo(before.get("maxBatchSize"));
    }

    @Test
    void aLargerCapacityAdmitsTheWaitingLoaderAtOnce() {
        change(Map.of("capacity", 1, "concurrency", 1, "maxBatchSize", 1));
        // the model holds its first item a minute (the cancel after the test frees it), so the queue fills and the
        // loader waits for room
        String id = startRun(RunSpecs.spec().draws(100).inferenceMs(60_000));
        await().atMost(Duration.ofSeconds(10)).until(() -> pipeline().getInt("depth") == 1);

        change(Map.of("capacity", 5));

        await().atMost(Duration.ofSeconds(10)).until(() -> pipeline().getInt("depth") == 5);
        assertThat(run(id).getLong("counts.processed")).as("filled before the model freed a place").isZero();
    }

    @Test
    void aCancelledRunGivesTheModelBackAtOnce() {
        change(Map.of("capacity", 1, "concurrency", 1, "maxBatchSize", 1));
        String held = startRun(RunSpecs.spec().draws(100).inferenceMs(60_000));
        // its first item in inference, its second queued behind it, the loader waiting for room
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(10))
                .until(() -> pipeline().getInt("depth") == 1);

        cancel(held);
        String next = startRun(RunSpecs.spec().items(1, 3).noSentinel().inferenceMs(1));

        await().atMost(Duration.ofSeconds(20)).until(() -> "completed".equals(run(next).getString("state")));
    }

    @Test
    void aSmallerCapacityRemovesNothingAndNewItemsWaitTillTheDepthIsBelowIt() {
        change(Map.of("capacity", 10));
        String id = startRun(RunSpecs.spec().draws(150).inferenceMs(5));
        await().atMost(Duration.ofSeconds(10)).until(() -> pipeline().getInt("depth") == 10);

        change(Map.of("capacity", 3));

        await().atMost(Duration.ofSeconds(10)).until(() -> pipeline().getInt("depth") <= 3);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2))
                .until(() -> pipeline().getInt("depth") <= 3);
        List<JsonPath> results = assertConserved(id);
        assertThat(results).as("a blocking run loses nothing").hasSize(150);
        assertThat(results.stream().mapToInt(r -> r.getInt("queueDepth")).max().orElseThrow())
                .as("the deepest queue an item found").isEqualTo(10);
    }

    @Test
    void moreSlotsRunMoreBatchesAtOnceAndFewerTakeEffectAsBatchesEnd() {
        change(Map.of("concurrency", 1, "maxBatchSize", 1));
        String up = startRun(RunSpecs.spec().items(1, 12).noSentinel().inferenceMs(100));
        awaitProcessed(up, 1);
        change(Map.of("concurrency", 4));
        List<JsonPath> raised = assertConserved(up);
        assertThat(raised).hasSize(12);
        assertThat(mostAtOnce(raised)).as("inferences at once after the change").isEqualTo(4);

        String down = startRun(RunSpecs.spec().items(1, 24).noSentinel().inferenceMs(100));
        awaitProcessed(down, 4);
        change(Map.of("concurrency", 1));
        int processed = (int) run(down).getLong("counts.processed");
        List<JsonPath> lowered = assertConserved(down);
        assertThat(lowered).hasSize(24);
        assertThat(mostAtOnce(lowered.subList(0, 4))).as("before the change").isEqualTo(4);
        // at most the four after those processed at the change were in flight; the rest started after they ended
        assertThat(processed + 4).as("items left to start after the change").isLessThan(23);
        assertThat(mostAtOnce(lowered.subList(processed + 4, 24))).as("one at a time once the batches in flight ended")
                .isEqualTo(1);
    }

    @Test
    void aLargerBatchSizeTakesEffectFromTheNextBatchAndBackToOneRunsEachItemAlone() {
        change(Map.of("maxBatchSize", 1, "batchDelayMs", 0, "capacity", 10, "concurrency", 1));
        String id = startRun(RunSpecs.spec().draws(1000).inferenceMs(5));
        awaitProcessed(id, 20);
        change(Map.of("maxBatchSize", 4)); // the queue behind a busy model is full: batches of four form at once
        awaitProcessed(id, 120);
        // 880 items are left at the change back: 1.1 s at four a batch, room for a slow poll on a loaded host
        change(Map.of("maxBatchSize", 1)); // the model runs inline on the loader's thread again
        int processed = (int) run(id).getLong("counts.processed");
        List<JsonPath> results = assertConserved(id);

        assertThat(results).hasSize(1000);
        assertThat(results.subList(0, 20)).allSatisfy(r -> assertThat(r.getInt("batchSize")).isEqualTo(1));
        assertThat(results).anySatisfy(r -> assertThat(r.getInt("batchSize")).isEqualTo(4));
        // the batch in flight at the change held at most four of the items after those processed; the rest ran alone
        assertThat(processed + 4).as("items left to run after the change").isLessThan(999);
        assertThat(results.subList(processed + 4, 1000))
                .allSatisfy(r -> assertThat(r.getInt("batchSize")).isEqualTo(1));
    }

    @Test
    void aBatchDelayMakesTheNextBatchesWaitToFill() {
        change(Map.of("maxBatchSize", 3, "batchDelayMs", 0, "concurrency", 1));
        String id = startRun(RunSpecs.spec().items(1, 60).noSentinel().inferenceMs(0).loadIntervalMs(10));
        awaitProcessed(id, 3);
        // items come one every 10 ms: without a delay a batch starts as it is taken, with what is queued; with a delay
        // of two seconds, batches of three fill long before it passes, their first items waiting for the rest
        change(Map.of("batchDelayMs", 2000));
        List<JsonPath> results = assertConserved(id);

        assertThat(results).hasSize(60);
        assertThat(results.subList(0, 3)).as("no wait for a batch before the change")
                .allSatisfy(r -> assertThat(r.getLong("dequeuedUs")).isEqualTo(r.getLong("startedUs")));
        assertThat(results).as("a batch of three whose first item waited for it").anySatisfy(r -> {
            assertThat(r.getInt("batchSize")).isEqualTo(3);
            assertThat(r.getLong("dequeuedUs")).isLessThan(r.getLong("startedUs"));
        });
    }

    @Test
    void everySettingChangesMidRunAndEveryItemIsAccountedFor() {
        String blocking = startRun(RunSpecs.spec().draws(600).inferenceMs(1));
        String dropping = startRun(RunSpecs.spec().draws(600).inferenceMs(1).overflow("drop"));
        // far more than it can run before it is cancelled, however fast the host
        String cancelled = startRun(RunSpecs.spec().draws(100_000).inferenceMs(1));
        List<Map<String, Object>> changes = List.of(Map.of("capacity", 3), Map.of("concurrency", 4),
                Map.of("maxBatchSize", 8), Map.of("batchDelayMs", 5), Map.of("capacity", 50),
                Map.of("maxBatchSize", 1), Map.of("concurrency", 1, "batchDelayMs", 0), Map.of("capacity", 2));
        for (int i = 0; i < changes.size(); i++) {
            awaitProcessed(blocking, 50L * (i + 1));
            change(changes.get(i));
            if (i == 3) {
                cancel(cancelled);
            }
        }

        for (String id : List.of(blocking, dropping, cancelled)) {
            assertConserved(id);
        }
        assertThat(run(blocking).getLong("counts.processed")).isEqualTo(600);
        assertThat(run(cancelled).getString("state")).isEqualTo("cancelled");
        await().atMost(Duration.ofSeconds(10)).until(() -> pipeline().getInt("depth") == 0);
    }

    @Test
    void aBadValueOfAnyFieldIsA400NamingItAndNothingChanges() {
        for (Object[] bad : new Object[][] {
                { "capacity", 0, "must be at least 1" }, { "capacity", 100_001, "must be at most 100000" },
                { "capacity", 1.5, "must be an integer" }, { "capacity", "5", "must be a number, not a string" },
                { "concurrency", 0, "must be at least 1" }, { "concurrency", 1025, "must be at most 1024" },
                { "concurrency", true, "must be an integer" },
                { "maxBatchSize", -1, "must be at least 1" }, { "maxBatchSize", 4097, "must be at most 4096" },
                { "maxBatchSize", "many", "must be a number, not a string" },
                { "batchDelayMs", -0.5, "must not be negative" }, { "batchDelayMs", 60_001, "must be at most 60000" },
                { "batchDelayMs", "soon", "must be a number, not a string" } }) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("capacity", 9); // a good value beside the bad one: all change or none
            body.put((String) bad[0], bad[1]);
            put(body).then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                    .body("errors[0].field", equalTo(bad[0]))
                    .body("errors[0].rule", containsString((String) bad[2]));
        }
        JsonPath now = pipeline();
        PIPELINE_SETTINGS.forEach(field -> assertThat((Object) now.get(field)).as(field).isEqualTo(before.get(field)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"capacity\":5,\"queueSize\":3}          | queueSize | is not a known field",
            "{\"capacity\":5,\"capacity\":6}           | capacity  | appears more than once",
            "{\"batchDelayMs\":1e400}                  | batchDelayMs | must be at most 60000",
            "{\"capacity\":null,\"concurrency\":null} | -         | -",
            "[1,2]                                     | body      | must be a JSON object" })
    void theBodyIsReadStrictly(String body, String field, String rule) {
        if (field.equals("-")) {
            put(body).then().statusCode(200); // null is as absent
            return;
        }
        put(body).then().statusCode(400).contentType(Problem.MEDIA_TYPE)
                .body("errors[0].field", equalTo(field)).body("errors[0].rule", containsString(rule));
    }

    @Test
    void anEmptyBodyChangesNothingAndABodyThatIsNotJsonIsRefused() {
        given().contentType(ContentType.JSON).when().put("/api/pipeline").then().statusCode(200)
                .body("capacity", equalTo(before.get("capacity")));
        given().contentType(ContentType.TEXT).body("capacity=5").when().put("/api/pipeline").then().statusCode(415)
                .contentType(Problem.MEDIA_TYPE);
    }
}
