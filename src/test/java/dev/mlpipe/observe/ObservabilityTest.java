package dev.mlpipe.observe;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.data;
import static dev.mlpipe.support.Api.results;
import static dev.mlpipe.support.Api.start;
import static dev.mlpipe.support.Api.stream;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Api;
import dev.mlpipe.support.Management;
import dev.mlpipe.support.Metrics;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

@QuarkusTest
public class ObservabilityTest {

    /**
     * Who waited for whom is asserted as a relation, and the figures against the run's own items: how large the shares
     * come out is the host's business (a floor of 0.5 on the loader's share once read 0.496 on a busy CI host).
     */
    @Test
    void aFastLoaderFeedingASlowModelIsModelBound() {
        String id = start(RunSpecs.spec().items(1, 100).noSentinel().inferenceMs(10).json());
        List<JsonPath> items = items(id);
        JsonPath run = awaitEnd(id);
        double elapsedMs = run.getDouble("stats.elapsedMs");

        assertThat(run.getString("stats.verdict")).isEqualTo("model-bound");
        assertThat(run.getString("stats.reason")).contains("the loader waited for room");
        assertThat(run.getDouble("stats.offeredLoad")).as("the unpaced loader offered more than the model could do")
                .isGreaterThan(2 * run.getDouble("stats.throughput"));
        assertThat(run.getDouble("stats.loaderBlockedShare"))
                .as("the loader waited for room more than the model for data")
                .isGreaterThan(run.getDouble("stats.modelIdleShare"));
        assertThat(run.getDouble("stats.loaderBlockedShare")).as("the items' waits for room over the run's time")
                .isCloseTo(sum(items, "loaderWaitMs") / elapsedMs, within(0.002));
        assertThat(run.getDouble("queue.meanDepth")).as("no more than the items' time in the queue over the run's time")
                .isPositive().isLessThanOrEqualTo(sum(items, "queueWaitMs") / elapsedMs + 0.005);
    }

    @Test
    void aSlowLoaderFeedingAFastModelIsLoaderBound() {
        String id = start(RunSpecs.spec().items(1, 20).noSentinel().inferenceMs(1).loadIntervalMs(30).json());
        List<JsonPath> items = items(id);
        JsonPath run = awaitEnd(id);
        double elapsedMs = run.getDouble("stats.elapsedMs");

        assertThat(run.getString("stats.verdict")).isEqualTo("loader-bound");
        assertThat(run.getString("stats.reason")).contains("the model waited for data");
        assertThat(run.getDouble("stats.offeredLoad")).as("a draw every 30 ms at most").isLessThanOrEqualTo(1000.0 / 30 + 0.001)
                .as("its draws over its own time between the first and the last, from its items' times")
                .isCloseTo(offeredLoad(items), within(0.001));
        assertThat(run.getDouble("stats.modelIdleShare")).as("the model waited for data more than the loader for room")
                .isGreaterThan(run.getDouble("stats.loaderBlockedShare"));
        assertThat(run.getDouble("stats.loaderBlockedShare")).as("the items' waits for room over the run's time")
                .isCloseTo(sum(items, "loaderWaitMs") / elapsedMs, within(0.002));
        assertThat(run.getDouble("queue.meanDepth")).as("no more than the items' time in the queue over the run's time")
                .isLessThanOrEqualTo(sum(items, "queueWaitMs") / elapsedMs + 0.005);
        assertThat(run.getInt("queue.maxDepth")).as("the deepest queue an item entered")
                .isEqualTo(items.stream().mapToInt(item -> item.getInt("queueDepth")).max().orElseThrow());
    }

    /**
     * The run's percentiles are those of its items' own timelines (as their result events report them), to the two
     * significant digits the histogram keeps (1%), and the maximum exactly. How late a timer wakes is the host's
     * business, so no figure is held to a ceiling; no inference is ever shorter than asked, and no loader faster than
     * its interval.
     */
    @Test
    void percentilesMatchARunWhoseDelaysAreKnown() {
        String id = start(RunSpecs.spec().items(1, 40).noSentinel().inferenceMs(20).loadIntervalMs(35).json());
        List<JsonPath> items = items(id);
        JsonPath run = awaitEnd(id);

        List<Double> queueWait = sorted(items, "queueWaitMs");
        List<Double> inference = sorted(items, "inferenceMs");
        List<Double> total = sorted(items, "totalMs");
        assertThat(inference).hasSize(40).allSatisfy(ms -> assertThat(ms).as("never early").isGreaterThanOrEqualTo(20.0));
        for (Map.Entry<String, Double> p : Map.of("p50", 50.0, "p90", 90.0, "p99", 99.0).entrySet()) {
            assertThat(run.getDouble("stats.queueWaitMs." + p.getKey())).as("queue wait " + p.getKey())
                    .isCloseTo(atPercentile(queueWait, p.getValue()), withinPercentage(1));
            assertThat(run.getDouble("stats.inferenceMs." + p.getKey())).as("inference " + p.getKey())
                    .isCloseTo(atPercentile(inference, p.getValue()), withinPercentage(1));
            assertThat(run.getDouble("stats.totalMs." + p.getKey())).as("total " + p.getKey())
                    .isCloseTo(atPercentile(total, p.getValue()), withinPercentage(1));
        }
        assertThat(run.getDouble("stats.queueWaitMs.max")).isEqualTo(queueWait.get(queueWait.size() - 1));
        assertThat(run.getDouble("stats.inferenceMs.max")).isEqualTo(inference.get(inference.size() - 1));
        assertThat(run.getDouble("stats.totalMs.max")).isEqualTo(total.get(total.size() - 1));
        assertThat(run.getDouble("stats.inferenceMs.p50")).as("inference p50, never early")
                .isGreaterThanOrEqualTo(20.0);
        assertThat(run.getDouble("stats.queueWaitMs.p50"))
                .as("an idle model takes an item at once, not after another item's inference")
                .isLessThan(run.getDouble("stats.inferenceMs.p50"));

        // one item per 35 ms: the loader keeps its interval, and the throughput is the items over the run's time,
        // which covers every item's timeline
        List<Long> loaded = items.stream().map(item -> item.getLong("loadedUs")).toList();
        for (int i = 1; i < loaded.size(); i++) {
            assertThat(loaded.get(i) - loaded.get(i - 1)).as("item %d loaded after its interval", i + 1)
                    .isGreaterThanOrEqualTo(35_000);
        }
        long lastFinishedUs = items.stream().mapToLong(item -> item.getLong("finishedUs")).max().orElseThrow();
        double elapsedMs = run.getDouble("stats.elapsedMs");
        assertThat(elapsedMs).as("from before the first load to after the last result")
                .isGreaterThanOrEqualTo((lastFinishedUs - loaded.get(0)) / 1e3);
        assertThat(run.getDouble("stats.throughput")).as("items per second of the run")
                .isCloseTo(items.size() / (elapsedMs / 1e3), within(0.001));
    }

    /** The run's results, in order, as its stream gives them from the start. */
    private static List<JsonPath> items(String id) {
        return results(stream(id)).stream().map(Api::data).toList();
    }

    /**
     * Draws per second of the loader's own time, from the items' times: the span from the first item's loading to the
     * last's, less the waits for room in between (each earlier item's, from its loading to its entering the queue).
     */
    private static double offeredLoad(List<JsonPath> items) {
        int n = items.size();
        long waitedUs = items.subList(0, n - 1).stream()
                .mapToLong(item -> item.getLong("enqueuedUs") - item.getLong("loadedUs")).sum();
        long ownUs = items.get(n - 1).getLong("loadedUs") - items.get(0).getLong("loadedUs") - waitedUs;
        return (n - 1) / (ownUs / 1e6);
    }

    private static double sum(List<JsonPath> items, String field) {
        return items.stream().mapToDouble(item -> item.getDouble(field)).sum();
    }

    private static List<Double> sorted(List<JsonPath> items, String field) {
        return items.stream().map(item -> item.getDouble(field)).sorted().toList();
    }

    /** The value at a percentile by rank, as the histogram ranks it: the round(p% of n)-th smallest. */
    private static double atPercentile(List<Double> sorted, double percentile) {
        long rank = Math.max(1, Math.round(percentile / 100 * sorted.size()));
        return sorted.get((int) rank - 1);
    }

    /**
     * An item waits at least for the inferences of the items queued ahead of it (10 ms each, never less); how much
     * longer is the host's business. In steady state every item enters a full queue, so the median one waits at least
     * for capacity - 1 items.
     */
    @Test
    void inAFullQueueAnItemWaitsForTheItemsAheadOfIt() {
        String id = start(RunSpecs.spec().items(1, 120).noSentinel().inferenceMs(10).json());
        List<JsonPath> items = items(id);
        JsonPath run = awaitEnd(id);
        int capacity = run.getInt("queue.capacity");

        assertThat(items).hasSize(120).allSatisfy(item -> assertThat(item.getDouble("queueWaitMs"))
                .as("item %d, which entered at depth %d", item.getLong("seq"), item.getInt("queueDepth"))
                .isGreaterThanOrEqualTo((item.getInt("queueDepth") - 1) * 10.0));
        List<Integer> depths = items.stream().map(item -> item.getInt("queueDepth")).sorted().toList();
        assertThat(depths.get(depths.size() / 2)).as("the median item entered a full queue").isEqualTo(capacity);
        List<Double> queueWait = sorted(items, "queueWaitMs");
        assertThat(run.getDouble("stats.queueWaitMs.p50")).as("the items' own median")
                .isCloseTo(atPercentile(queueWait, 50), withinPercentage(1))
                .isGreaterThanOrEqualTo((capacity - 1) * 10.0);
        assertThat(run.getDouble("stats.queueWaitMs.max"))
                .isGreaterThanOrEqualTo(run.getDouble("stats.queueWaitMs.p99"));
    }

    @Test
    void everyItemsTimelineIsOrderedAndItsDurationsDeriveFromIt() {
        List<SseClient.Event> results = results(
                stream(start(RunSpecs.spec().items(1, 50).noSentinel().inferenceMs(3).json())));

        assertThat(results).hasSize(50).allSatisfy(event -> {
            JsonPath r = data(event);
            long loaded = r.getLong("loadedUs");
            long enqueued = r.getLong("enqueuedUs");
            long dequeued = r.getLong("dequeuedUs");
            long started = r.getLong("startedUs");
            long finished = r.getLong("finishedUs");
            assertThat(loaded).isLessThanOrEqualTo(enqueued);
            assertThat(enqueued).isLessThanOrEqualTo(dequeued);
            assertThat(dequeued).isLessThanOrEqualTo(started);
            assertThat(started).isLessThan(finished);
            assertThat(r.getDouble("loaderWaitMs")).isCloseTo((enqueued - loaded) / 1e3, within(0.001));
            assertThat(r.getDouble("queueWaitMs")).isCloseTo((dequeued - enqueued) / 1e3, within(0.001));
            assertThat(r.getDouble("inferenceMs")).isCloseTo((finished - started) / 1e3, within(0.001))
                    .isGreaterThanOrEqualTo(3.0);
            assertThat(r.getDouble("totalMs")).isCloseTo((finished - loaded) / 1e3, within(0.001));
        });
    }

    @Test
    void statsEventsArriveWhileARunIsActiveAndStopWhenItEnds() {
        String id = start(RunSpecs.spec().items(1, 50).noSentinel().inferenceMs(20).json());
        List<SseClient.Event> stats = new ArrayList<>();
        try (SseClient client = SseClient.connect("/api/runs/" + id + "/events")) {
            List<SseClient.Event> events = client.untilEnd(Duration.ofSeconds(10));
            events.stream().filter(e -> e.type().equals("stats")).forEach(stats::add);
            assertThat(client.next(Duration.ofMillis(700))).as("nothing after the end").isNull();
            assertThat(client.closedWithin(Duration.ofSeconds(2))).isTrue();
        }

        assertThat(stats).as("a second of run, a stats event every 250 ms").hasSizeGreaterThanOrEqualTo(2);
        List<Long> processed = stats.stream().map(e -> data(e).getLong("counts.processed")).toList();
        assertThat(processed).isSorted();
        assertThat(stats).allSatisfy(e -> {
            assertThat(data(e).getString("state")).isEqualTo("running");
            assertThat(data(e).getString("stats.verdict")).isIn("model-bound", "loader-bound", "balanced");
            assertThat(data(e).getDouble("stats.throughput")).isNotNegative();
        });
    }

    private static final String SIMULATED = "model=\"simulated\"";

    @Test
    void metricsCountWhatBecameOfEachItem() {
        double processed = Metrics.value("mlpipe_items_total{" + SIMULATED + ",outcome=\"processed\"}");
        double dropped = Metrics.value("mlpipe_items_total{" + SIMULATED + ",outcome=\"dropped\"}");
        double inferences = Metrics.value("mlpipe_item_inference_seconds_count{" + SIMULATED + "}");
        double blocked = Metrics.value("mlpipe_loader_blocked_seconds_total");
        double failed = Metrics.value("mlpipe_items_total{" + SIMULATED + ",outcome=\"failed\"}");

        String blockingId = start(RunSpecs.spec().items(1, 40).noSentinel().inferenceMs(5).json());
        List<JsonPath> blockingItems = items(blockingId);
        JsonPath blocking = awaitEnd(blockingId);
        String droppingId = start(RunSpecs.spec().items(1, 100).noSentinel().inferenceMs(5).overflow("drop").json());
        List<JsonPath> droppingItems = items(droppingId);
        JsonPath dropping = awaitEnd(droppingId);

        long processedByRuns = blocking.getLong("counts.processed") + dropping.getLong("counts.processed");
        assertThat(Metrics.value("mlpipe_items_total{" + SIMULATED + ",outcome=\"processed\"}") - processed)
                .isEqualTo(processedByRuns);
        assertThat(Metrics.value("mlpipe_items_total{" + SIMULATED + ",outcome=\"dropped\"}") - dropped)
                .isEqualTo(dropping.getLong("counts.dropped")).isPositive();
        assertThat(Metrics.value("mlpipe_item_inference_seconds_count{" + SIMULATED + "}") - inferences)
                .isEqualTo(processedByRuns);
        assertThat(sum(blockingItems, "loaderWaitMs")).as("the blocking run waited").isPositive();
        assertThat(Metrics.value("mlpipe_loader_blocked_seconds_total") - blocked).as("the waits the items report")
                .isCloseTo((sum(blockingItems, "loaderWaitMs") + sum(droppingItems, "loaderWaitMs")) / 1e3,
                        within(1e-4));
        assertThat(Metrics.value("mlpipe_queue_capacity{" + SIMULATED + "}")).isEqualTo(10);
        for (int priority = 1; priority <= 5; priority++) {
            assertThat(Metrics.value("mlpipe_queue_depth{" + SIMULATED + ",priority=\"" + priority + "\"}"))
                    .as("lane %d", priority).isZero();
        }
        assertThat(Metrics.value("mlpipe_runs_active")).isZero();
        assertThat(Metrics.value("mlpipe_model_idle_seconds_total{" + SIMULATED + "}")).isPositive();
        assertThat(Metrics.value("mlpipe_stream_subscribers")).isZero();
        assertThat(Metrics.value("mlpipe_items_total{" + SIMULATED + ",outcome=\"failed\"}") - failed)
                .as("failed by these runs").isZero();
    }

    /** A model's series, read from /q/metrics: what its items became and how its batches went. */
    private static Map<String, Double> seriesOf(String model) {
        String label = "model=\"" + model + "\"";
        Map<String, Double> series = new LinkedHashMap<>();
        for (String name : List.of("mlpipe_items_total{" + label + ",outcome=\"processed\"}",
                "mlpipe_items_total{" + label + ",outcome=\"failed\"}",
                "mlpipe_item_queue_wait_seconds_count{" + label + "}",
                "mlpipe_item_inference_seconds_count{" + label + "}",
                "mlpipe_item_total_seconds_count{" + label + "}", "mlpipe_batch_size_count{" + label + "}",
                "mlpipe_batch_size_sum{" + label + "}")) {
            series.put(name, Metrics.value(name));
        }
        return series;
    }

    private static Map<String, Double> movedSince(Map<String, Double> before, String model) {
        Map<String, Double> moved = new LinkedHashMap<>();
        seriesOf(model).forEach((name, now) -> moved.put(name, now - before.get(name)));
        return moved;
    }

    @Test
    void aDigitsRunAndASimulatedRunEachMoveOnlyTheirOwnModelsSeries() {
        Map<String, Double> simulated = seriesOf("simulated");
        Map<String, Double> digits = seriesOf("digits");
        assertThat(Metrics.value("mlpipe_queue_capacity{model=\"digits\"}")).isEqualTo(10);
        assertThat(Metrics.value("mlpipe_queue_depth{model=\"digits\",priority=\"3\"}")).isZero();

        JsonPath simulatedRun = awaitEnd(start(RunSpecs.spec().items(1, 30).noSentinel().inferenceMs(1).json()));
        assertThat(simulatedRun.getLong("counts.processed")).isEqualTo(30);
        assertThat(movedSince(digits, "digits")).as("the digits series after a simulated run")
                .allSatisfy((name, moved) -> assertThat(moved).as(name).isZero());
        Map<String, Double> bySimulated = movedSince(simulated, "simulated");
        assertThat(bySimulated.get("mlpipe_items_total{model=\"simulated\",outcome=\"processed\"}")).isEqualTo(30);
        assertThat(bySimulated.get("mlpipe_item_total_seconds_count{model=\"simulated\"}")).isEqualTo(30);
        assertThat(bySimulated.get("mlpipe_batch_size_sum{model=\"simulated\"}")).isEqualTo(30);

        simulated = seriesOf("simulated");
        JsonPath digitsRun = awaitEnd(start(RunSpecs.spec().model("digits").dataset("digits", 1).maxItems(50).json()));
        assertThat(digitsRun.getLong("counts.processed")).isEqualTo(50);
        assertThat(movedSince(simulated, "simulated")).as("the simulated series after a digits run")
                .allSatisfy((name, moved) -> assertThat(moved).as(name).isZero());
        Map<String, Double> byDigits = movedSince(digits, "digits");
        assertThat(byDigits.get("mlpipe_items_total{model=\"digits\",outcome=\"processed\"}")).isEqualTo(50);
        assertThat(byDigits.get("mlpipe_item_queue_wait_seconds_count{model=\"digits\"}")).isEqualTo(50);
        assertThat(byDigits.get("mlpipe_item_inference_seconds_count{model=\"digits\"}")).isEqualTo(50);
        assertThat(byDigits.get("mlpipe_batch_size_sum{model=\"digits\"}")).isEqualTo(50);
        assertThat(byDigits.get("mlpipe_batch_size_count{model=\"digits\"}")).isBetween(1.0, 50.0);
    }

    @Test
    void theRunViewTheStreamAndTheMetricsNameTheWorkerOfEachItem() {
        String self = given().get("/api/pipeline").then().statusCode(200).extract().path("instanceId");
        String series = "mlpipe_worker_items_total{worker=\"" + self + "\"}";
        double before = Metrics.valueOrZero(series); // a counter is not exposed before its first item
        String id = start(RunSpecs.spec().items(1, 30).noSentinel().inferenceMs(1).json());
        List<SseClient.Event> results = results(stream(id));

        assertThat(results).hasSize(30).allSatisfy(e -> assertThat(data(e).getString("worker")).isEqualTo(self));
        assertThat(awaitEnd(id).getMap("workers")).containsExactly(Map.entry(self, 30));
        assertThat(Metrics.value(series) - before).isEqualTo(30);
    }

    @Test
    void readinessSaysThePipelineAcceptsRunsAndConnectionsAreWatched() {
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("pipeline accepts runs"))
                .body("checks.find { it.name == 'connections watched' }.status", equalTo("UP"));
        Management.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void thePublicPortServesThePageAndTheApiButNoneOfTheOperatorsEndpoints() {
        for (String path : List.of("/q/metrics", "/q/health", "/q/health/ready", "/q/openapi", "/q/swagger-ui/")) {
            given().get(path).then().statusCode(404);
        }
        Management.given().get("/q/metrics").then().statusCode(200).body(containsString("mlpipe_"));
    }

    @Test
    void openApiDocumentsEveryEndpointAndItsErrors() {
        JsonPath api = Management.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths", hasKey("/api/runs"))
                .body("paths", hasKey("/api/runs/{id}"))
                .body("paths", hasKey("/api/runs/{id}/events"))
                .body("paths", hasKey("/api/pipeline"))
                .extract().jsonPath();

        assertThat(api.getMap("paths.'/api/runs'.post.responses")).containsKeys("201", "400", "415", "429", "503");
        assertThat(api.getList("paths.'/api/runs'.post.parameters")).as("no parameter from the request's context")
                .isNullOrEmpty();
        assertThat(api.getMap("paths.'/api/runs/{id}/events'.get.responses")).containsKeys("200", "204", "400", "404",
                "429");
        assertThat(api.getMap("components.schemas.RunSpec.properties")).containsKeys("seed", "min", "max", "sentinel",
                "maxItems", "loadIntervalMs", "inferenceMs", "overflow", "items", "name", "tags");
        assertThat(api.getList("paths.'/api/runs'.get.parameters.name")).containsExactlyInAnyOrder("state", "tag",
                "sweep");
        assertThat(api.getMap("paths.'/api/runs/{id}/results'.get.responses.'200'.content"))
                .containsKeys("text/csv", "application/jsonl");
        assertThat(api.getMap("paths.'/api/runs/{id}/results'.get.responses")).containsKeys("400", "404");
        assertThat(api.getMap("components.schemas.Caller.properties")).containsKeys("user", "role", "canOperate",
                "access");
        assertThat(api.getMap("components.schemas.Problem.properties")).containsKeys("status", "detail", "errors");
        Management.given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void openApiDocumentsTheSweepsTheirCsvAndTheirErrors() {
        JsonPath api = Management.given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();

        assertThat(api.getMap("paths.'/api/sweeps'.post.responses")).containsKeys("201", "400", "409", "415");
        assertThat(api.getMap("paths.'/api/sweeps'.get.responses")).containsKey("200");
        assertThat(api.getMap("paths.'/api/sweeps/{id}'.get.responses.'200'.content"))
                .as("the sweep as JSON, or its steps as perf_analyzer-style CSV").containsKeys("application/json",
                        "text/csv");
        assertThat(api.getList("paths.'/api/sweeps/{id}'.get.parameters.name")).contains("id", "format");
        assertThat(api.getMap("paths.'/api/sweeps/{id}'.delete.responses")).containsKeys("200", "404");
        assertThat(api.getMap("paths.'/api/sweeps/{id}/events'.get.responses.'200'.content"))
                .containsKey("text/event-stream");
        assertThat(api.getMap("components.schemas.SweepSpec.properties")).containsKeys("run", "pipeline", "vary",
                "repeats", "sloMs");
        assertThat(api.getMap("components.schemas.SweepView.properties")).containsKeys("state", "steps",
                "saturation");
        assertThat(api.getMap("components.schemas.Step.properties")).containsKeys("offeredLoad", "throughput",
                "totalMs", "queueWaitMs", "inferenceMs", "spread", "verdict", "goodput", "littlesLaw");
    }
}
