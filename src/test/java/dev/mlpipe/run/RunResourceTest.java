package dev.mlpipe.run;

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
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Api;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

@QuarkusTest
public class RunResourceTest {

    @Test
    void anOpenServiceTellsEveryCallerThatTheyOperate() {
        given().when().get("/api/me").then().statusCode(200)
                .body("user", nullValue()).body("role", equalTo("operator"))
                .body("canOperate", equalTo(true)).body("access", equalTo("open"));
    }

    @Test
    void aRunKeepsItsNameAndTagsAndTheListFiltersByTagAndState() {
        String mine = Long.toHexString(System.nanoTime()); // tags no other test's runs in this application have
        String baseline = "baseline-" + mine;
        String b8 = "b-8-" + mine;
        String slow = "slow-" + mine;
        String named = start(RunSpecs.spec().items(1, 3).noSentinel().inferenceMs(0)
                .named("baseline, batch 8", baseline, b8).json());
        String other = start(RunSpecs.spec().items(1, 3).noSentinel().inferenceMs(0).named("other", b8).json());
        String running = start(RunSpecs.spec().draws(1000).inferenceMs(1000).named("slow", slow).json());
        try {
            awaitEnd(named);
            awaitEnd(other);
            given().get("/api/runs/" + named).then().body("name", equalTo("baseline, batch 8"))
                    .body("tags", contains(baseline, b8)).body("sweepId", nullValue());
            given().get("/api/runs?tag=" + baseline).then().statusCode(200).body("id", contains(named));
            given().get("/api/runs?tag=" + b8).then().body("id", contains(other, named));
            given().get("/api/runs?tag=" + b8 + "&state=completed").then().body("id", contains(other, named));
            given().get("/api/runs?tag=" + slow + "&state=running").then().body("id", contains(running));
            given().get("/api/runs?tag=" + slow + "&state=completed").then().body("id", empty());
            given().get("/api/runs?tag=nobody-has-" + mine).then().statusCode(200).body("id", empty());
            given().get("/api/runs?sweep=0123456789ab").then().statusCode(200).body("id", empty());
        } finally {
            cancel(running);
        }
        String plain = start(RunSpecs.spec().items(1, 2).noSentinel().inferenceMs(0).json());
        given().get("/api/runs/" + plain).then().body("name", nullValue()).body("tags", empty());
    }

    @Test
    void aRunsResultsDownloadAsCsvAndAsJsonLinesARowPerResultAsTheStreamHasThem() {
        String id = start(RunSpecs.spec().seed(7).inferenceMs(0).json());
        List<SseClient.Event> results = results(stream(id));

        List<String> csv = given().get("/api/runs/" + id + "/results?format=csv").then().statusCode(200)
                .contentType(startsWith("text/csv"))
                .header("Content-Disposition", equalTo("attachment; filename=\"run-" + id + ".csv\""))
                .extract().asString().lines().toList();
        assertThat(csv.get(0)).isEqualTo("runId,seq,value,prediction,score,queueDepth,loadedUs,enqueuedUs,dequeuedUs,"
                + "startedUs,finishedUs,worker,batchId,batchSize,loaderWaitMs,queueWaitMs,batchWaitMs,inferenceMs,"
                + "totalMs,outcome,reason");
        assertThat(csv).hasSize(results.size() + 1);
        for (int i = 0; i < results.size(); i++) {
            String[] cells = csv.get(i + 1).split(",", -1);
            JsonPath result = data(results.get(i));
            assertThat(cells).hasSize(21);
            assertThat(cells[1]).isEqualTo(Long.toString(results.get(i).id()));
            assertThat(cells[2]).isEqualTo(Integer.toString(result.getInt("value")));
            assertThat(cells[3]).isEqualTo(result.getString("prediction"));
            assertThat(cells[11]).isEqualTo(result.getString("worker"));
            assertThat(Double.parseDouble(cells[18])).isEqualTo(result.getDouble("totalMs"));
            assertThat(cells[19]).isEqualTo("result");
        }

        List<String> lines = given().get("/api/runs/" + id + "/results?format=jsonl").then().statusCode(200)
                .contentType(startsWith("application/jsonl"))
                .header("Content-Disposition", equalTo("attachment; filename=\"run-" + id + ".jsonl\""))
                .extract().asString().lines().toList();
        assertThat(lines).as("each line the data of the run's result event")
                .containsExactlyElementsOf(results.stream().map(SseClient.Event::data).toList());
    }

    @Test
    void aRunsSeriesCountsEveryItemAndEndsAtItsEndAndItsStatsEventsCarryTheNewestPoints() {
        String id = start(RunSpecs.spec().items(1, 60).noSentinel().inferenceMs(15).json());
        List<SseClient.Event> stats = stream(id).stream().filter(e -> e.type().equals("stats")).toList();
        JsonPath end = awaitEnd(id);

        JsonPath series = given().get("/api/runs/" + id + "/series").then().statusCode(200)
                .contentType(ContentType.JSON).extract().jsonPath();
        List<Integer> processed = series.getList("points.processed", Integer.class);
        assertThat(processed).as("a point per stats interval of a run of about a second").hasSizeGreaterThan(1);
        assertThat(series.getInt("size")).isEqualTo(processed.size());
        assertThat(series.getInt("merge")).isEqualTo(1);
        assertThat(processed.stream().mapToLong(Integer::longValue).sum()).isEqualTo(end.getLong("counts.processed"));
        assertThat(series.getDouble("points[-1].endMs")).as("the series ends where the run did")
                .isEqualTo(end.getDouble("stats.elapsedMs"));
        assertThat(series.getInt("points[0].depthMax")).isGreaterThanOrEqualTo(series.getInt("points[0].depthMin"));

        assertThat(stats).as("stats events while it ran").isNotEmpty();
        JsonPath last = data(stats.get(stats.size() - 1));
        assertThat(last.getString("id")).as("the run's view, as before").isEqualTo(id);
        assertThat(last.getInt("series.from") + last.getList("series.points").size())
                .as("its newest points, up to the series' size then").isEqualTo(last.getInt("series.size"));

        given().get("/api/runs/0123456789ab/series").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/runs/NOT-AN-ID/series").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void anUnknownOrMissingResultsFormatIsAProblemNamingIt() {
        String id = start(RunSpecs.spec().items(1, 2).noSentinel().inferenceMs(0).json());
        for (String query : new String[] { "?format=xml", "?format=CSV", "" }) {
            given().get("/api/runs/" + id + "/results" + query).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("format")).body("errors[0].rule", equalTo("must be csv or jsonl"));
        }
        given().get("/api/runs/0123456789ab/results?format=csv").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void seededRunStreamsEverySeqAndEndsRightAfterTheSentinel() {
        String id = start(RunSpecs.spec().seed(7).inferenceMs(1).json());
        List<SseClient.Event> events = stream(id);
        List<SseClient.Event> results = results(events);
        JsonPath end = data(events.get(events.size() - 1));

        assertThat(results).extracting(SseClient.Event::id)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, results.size()).boxed().toList());
        assertThat(data(results.get(results.size() - 1)).getInt("value")).isEqualTo(67);
        assertThat(results.subList(0, results.size() - 1))
                .allSatisfy(e -> assertThat(data(e).getInt("value")).isNotEqualTo(67).isBetween(1, 100));
        assertThat(events.get(events.size() - 1).type()).isEqualTo("end");
        assertThat(end.getString("state")).isEqualTo("completed");
        assertThat(end.getLong("counts.loaded")).isEqualTo(results.size());
        assertThat(end.getLong("counts.processed")).isEqualTo(results.size());
        assertThat(end.getLong("spec.seed")).isEqualTo(7);
    }

    @Test
    void theSameSeedLoadsTheSameValuesAndPredictions() {
        List<String> first = results(stream(start(RunSpecs.spec().seed(42).inferenceMs(0).json()))).stream()
                .map(e -> data(e).getInt("value") + ":" + data(e).getString("prediction")).toList();
        List<String> second = results(stream(start(RunSpecs.spec().seed(42).inferenceMs(0).json()))).stream()
                .map(e -> data(e).getInt("value") + ":" + data(e).getString("prediction")).toList();

        assertThat(first).isNotEmpty().isEqualTo(second);
    }

    @Test
    void aRunWithoutASeedReportsTheSeedItChoseSoItCanBeReplayed() {
        String id = start(RunSpecs.spec().inferenceMs(0).json());
        List<Integer> values = results(stream(id)).stream().map(e -> data(e).getInt("value")).toList();
        long seed = run(id).getLong("spec.seed");

        List<Integer> replay = results(stream(start(RunSpecs.spec().seed(seed).inferenceMs(0).json()))).stream()
                .map(e -> data(e).getInt("value")).toList();
        assertThat(replay).isEqualTo(values);
    }

    @Test
    void itemsAreLoadedInOrderAndTheRunStopsAtTheSentinel() {
        List<SseClient.Event> results = results(
                stream(start(RunSpecs.spec().items(List.of(5, 80, 67, 9, 10)).inferenceMs(1).json())));

        assertThat(results).extracting(e -> data(e).getInt("value")).containsExactly(5, 80, 67);
        assertThat(results).extracting(e -> data(e).getString("prediction")).containsExactly("low", "high", "high");
    }

    @Test
    void itemsWithoutTheSentinelAreAllProcessed() {
        String id = start(RunSpecs.spec().items(1, 30).noSentinel().inferenceMs(1).json());
        List<SseClient.Event> results = results(stream(id));

        assertThat(results).extracting(e -> data(e).getInt("value"))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 30).boxed().toList());
        assertThat(awaitEnd(id).getString("state")).isEqualTo("completed");
    }

    @Test
    void maxItemsStopsARun() {
        String id = start(RunSpecs.spec().min(1).max(1_000_000).sentinel(1).seed(3).maxItems(5).inferenceMs(0).json());
        List<SseClient.Event> results = results(stream(id));

        assertThat(results).hasSize(5);
        assertThat(awaitEnd(id).getLong("counts.loaded")).isEqualTo(5);
    }

    /** Draws from [1, 3] would hit the default sentinel 67 never, and are refused with it; a null one means none. */
    @Test
    void aNullSentinelRunsExactlyMaxItems() {
        String id = start(RunSpecs.spec().min(1).max(3).exactlyMaxItems().maxItems(40).inferenceMs(0).json());

        assertThat(results(stream(id))).hasSize(40);
        JsonPath run = awaitEnd(id);
        assertThat(run.getString("state")).isEqualTo("completed");
        assertThat(run.getString("spec.sentinel")).isNull();
    }

    @Test
    void blockLosesNothingAndTheQueueNeverHoldsMoreThanItsCapacity() {
        int capacity = Api.pipeline().getInt("capacity");
        String id = start(RunSpecs.spec().items(1, 60).noSentinel().inferenceMs(5).overflow("block").json());
        List<SseClient.Event> results = results(stream(id));
        JsonPath end = awaitEnd(id);

        assertThat(results).extracting(e -> data(e).getInt("value"))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 60).boxed().toList());
        assertThat(results).allSatisfy(e -> assertThat(data(e).getInt("queueDepth")).isBetween(1, capacity));
        // a fast loader and a slow model: the queue fills up, and no further
        assertThat(end.getInt("queue.maxDepth")).isEqualTo(capacity);
        assertThat(end.getLong("counts.dropped")).isZero();
        assertThat(end.getLong("counts.processed")).isEqualTo(60);
    }

    @Test
    void dropCountsWhatDidNotFitAndTheRunGoesOn() {
        String id = start(RunSpecs.spec().items(1, 200).noSentinel().inferenceMs(5).overflow("drop").json());
        List<SseClient.Event> results = results(stream(id));
        JsonPath end = awaitEnd(id);

        assertThat(end.getString("state")).isEqualTo("completed");
        assertThat(end.getLong("counts.dropped")).isPositive();
        assertThat(end.getLong("counts.loaded")).isEqualTo(200);
        assertThat(end.getLong("counts.processed") + end.getLong("counts.dropped")).isEqualTo(200);
        assertThat(results).hasSize(end.getInt("counts.processed"));
        assertThat(results).extracting(SseClient.Event::id).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void failEndsTheRunWhenTheQueueIsFullAndTheCountsAddUp() {
        String id = start(RunSpecs.spec().items(1, 200).noSentinel().inferenceMs(5).overflow("fail").json());
        List<SseClient.Event> events = stream(id);
        JsonPath end = awaitEnd(id);

        assertThat(end.getString("state")).isEqualTo("failed");
        assertThat(end.getString("failure")).contains("queue was full");
        assertThat(end.getLong("counts.dropped")).isEqualTo(1);
        assertThat(end.getLong("counts.loaded")).isLessThan(200)
                .isEqualTo(end.getLong("counts.processed") + end.getLong("counts.dropped") + end.getLong("counts.cancelled"));
        assertThat(results(events)).hasSize(end.getInt("counts.processed"));
        assertThat(data(events.get(events.size() - 1)).getString("state")).isEqualTo("failed");
    }

    @Test
    void cancelStopsTheLoaderDiscardsQueuedItemsAndEndsTheStream() {
        String id = start(RunSpecs.spec().items(1, 500).noSentinel().inferenceMs(20).json());
        try (SseClient client = SseClient.connect("/api/runs/" + id + "/events")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> run(id).getLong("counts.processed") >= 3);

            assertThat(cancel(id).getString("state")).isEqualTo("cancelled");

            List<SseClient.Event> events = client.untilEnd(Duration.ofSeconds(10));
            JsonPath end = data(events.get(events.size() - 1));
            assertThat(end.getString("state")).isEqualTo("cancelled");
            assertThat(end.getLong("counts.loaded")).isLessThan(500).isEqualTo(
                    end.getLong("counts.processed") + end.getLong("counts.dropped") + end.getLong("counts.cancelled"));
            assertThat(end.getLong("counts.cancelled")).isPositive();
            assertThat(results(events)).hasSize(end.getInt("counts.processed"));
            assertThat(client.closedWithin(Duration.ofSeconds(5))).isTrue();
        }
        // the queued items are gone and cancelling again changes nothing
        await().atMost(Duration.ofSeconds(10)).until(() -> Api.pipeline().getInt("depth") == 0);
        JsonPath before = run(id);
        JsonPath again = cancel(id);
        assertThat(again.getString("state")).isEqualTo("cancelled");
        assertThat(again.getLong("counts.loaded")).isEqualTo(before.getLong("counts.loaded"));
    }

    @Test
    void concurrentRunsEachGetExactlyTheirOwnResults() {
        String a = start(RunSpecs.spec().items(1, 40).noSentinel().inferenceMs(2).json());
        String b = start(RunSpecs.spec().items(101, 140).noSentinel().inferenceMs(2).json());
        // a thread each: the common pool has one on two cores, and would read the streams one after the other
        ExecutorService threads = Executors.newFixedThreadPool(2);
        CompletableFuture<List<SseClient.Event>> streamA = CompletableFuture.supplyAsync(() -> stream(a), threads);
        CompletableFuture<List<SseClient.Event>> streamB = CompletableFuture.supplyAsync(() -> stream(b), threads);
        threads.shutdown();

        assertThat(results(streamA.join())).extracting(e -> data(e).getInt("value"))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 40).boxed().toList());
        assertThat(results(streamB.join())).extracting(e -> data(e).getInt("value"))
                .containsExactlyElementsOf(IntStream.rangeClosed(101, 140).boxed().toList());
        assertThat(results(streamA.join())).allSatisfy(e -> assertThat(data(e).getString("runId")).isEqualTo(a));
    }

    @Test
    void aStartedRunIsListedNewestFirstAndFoundByItsLocation() {
        String older = start(RunSpecs.spec().items(List.of(1)).inferenceMs(0).json());
        io.restassured.response.Response created = given().contentType(ContentType.JSON)
                .body(RunSpecs.spec().items(List.of(2)).inferenceMs(0).json())
                .when().post("/api/runs");
        String newer = created.path("id");
        created.then().statusCode(201).header("Location", endsWith("/api/runs/" + newer));

        List<String> ids = given().get("/api/runs").then().statusCode(200).extract().jsonPath().getList("id");
        assertThat(ids.indexOf(newer)).isLessThan(ids.indexOf(older)).isNotNegative();
        given().get(created.header("Location")).then().statusCode(200)
                .body("id", equalTo(newer))
                .body("spec.itemCount", equalTo(1))
                .body("queue.capacity", equalTo(Api.pipeline().getInt("capacity")));
    }

    @Test
    void aRunCanBeStartedWithoutABody() {
        String id = given().contentType(ContentType.JSON).when().post("/api/runs").then().statusCode(201)
                .body("state", equalTo("running"))
                .body("spec.sentinel", equalTo(67))
                .body("spec.maxItems", equalTo(10000))
                .body("spec.overflow", equalTo("block"))
                .extract().path("id");
        cancel(id);
    }

    @Test
    void pipelineShowsSettingsAndLiveState() {
        String id = start(RunSpecs.spec().items(1, 100).noSentinel().inferenceMs(20).json());
        await().atMost(Duration.ofSeconds(10)).until(() -> Api.pipeline().getInt("depth") > 0);
        given().when().get("/api/pipeline").then().statusCode(200)
                .body("capacity", equalTo(10))
                .body("concurrency", equalTo(1))
                .body("inferenceMs", equalTo(100))
                .body("activeRuns", greaterThanOrEqualTo(1));
        cancel(id);
        await().atMost(Duration.ofSeconds(10)).until(() -> Api.pipeline().getInt("activeRuns") == 0);
    }

    /** Before, maxDepth counted only the depths this run's items met as they entered, below the mean another run made. */
    @Test
    void aRunsMaxDepthIsTheMostTheQueueHeldWhileItRanNeverBelowItsMean() {
        String slow = Api.start(RunSpecs.spec().items(1, 2).noSentinel().inferenceMs(0).loadIntervalMs(5_000).json());
        String flood = Api.start(RunSpecs.spec().items(1, 20).noSentinel().inferenceMs(100).json());
        awaitEnd(flood);
        JsonPath queue = awaitEnd(slow);

        int capacity = queue.getInt("queue.capacity");
        assertThat(queue.getInt("queue.maxDepth")).as("the other run filled the queue while this one ran")
                .isEqualTo(capacity);
        assertThat(queue.getDouble("queue.meanDepth")).isPositive().isLessThanOrEqualTo(queue.getInt("queue.maxDepth"));
    }
}
