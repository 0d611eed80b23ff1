package dev.mlpipe.broker;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.data;
import static dev.mlpipe.support.Api.pipeline;
import static dev.mlpipe.support.Api.results;
import static dev.mlpipe.support.Api.run;
import static dev.mlpipe.support.Api.start;
import static dev.mlpipe.support.Api.stream;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.mlpipe.model.Result;
import dev.mlpipe.problem.Problem;
import dev.mlpipe.model.ResultBatch;
import dev.mlpipe.support.Management;
import dev.mlpipe.support.Metrics;
import dev.mlpipe.support.Rabbit;
import dev.mlpipe.support.RabbitRequired;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;

/**
 * The links between the stages through a real RabbitMQ (the {@code broker} profile, role all): the broker's queue is
 * the pipeline's bounded queue, and the overflow policies mean with it what they mean in memory.
 */
@RabbitRequired
@QuarkusTest
@TestProfile(BrokerProfile.class)
class BrokerChannelTest {

    private static final String REJECTED = "mlpipe_items_total{model=\"simulated\",outcome=\"rejected\"}";

    private static Rabbit rabbit;

    @Inject
    BrokerIntake worker;

    @Inject
    Event<BrokerWatch.Outage> outage;

    @BeforeAll
    static void connect() {
        rabbit = Rabbit.connect();
    }

    @AfterAll
    static void close() throws IOException {
        rabbit.close(); // the profile's queues go with its application (BrokerProfile.DeletedQueues)
    }

    @Test
    void anItemItsWorkersDieOnEveryTimeGoesToTheDeadLettersAndTheRunGoesOnWithItFailed() throws IOException {
        String dead = BrokerProfile.DEAD;
        rabbit.purge(dead);
        String id = start(RunSpecs.spec().items(List.of(1, 2, PoisonItems.VALUE, 4, 5)).noSentinel().inferenceMs(0)
                .json());
        List<SseClient.Event> events = stream(id);
        JsonPath end = data(events.get(events.size() - 1));

        assertThat(end.getString("state")).isEqualTo("completed");
        assertThat(end.getLong("counts.processed")).isEqualTo(4);
        assertThat(end.getLong("counts.failed")).isEqualTo(1);
        SseClient.Event failed = events.stream().filter(e -> e.type().equals("failed")).findFirst().orElseThrow();
        assertThat(data(failed).getLong("seq")).isEqualTo(3);
        assertThat(data(failed).getString("reason")).contains("failed 3 times", "dead letters");
        com.rabbitmq.client.GetResponse letter = rabbit.take(dead);
        assertThat(letter).as("the item, in the dead letters").isNotNull();
        assertThat(new String(letter.getBody(), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"runId\":\"" + id + "\"", "\"seq\":3");
        assertThat(letter.getProps().getHeaders()).containsEntry(Delivery.FAILED_DELIVERIES, 3)
                .containsKey(Redeliveries.REASON);
    }

    @Test
    void aRunCompletesThroughTheBrokerWithEachResultOnceAndInOrder() {
        await().atMost(Duration.ofSeconds(10)).until(() -> pipeline().getInt("broker.workers") == 1);
        JsonPath state = pipeline();
        assertThat(state.getString("role")).isEqualTo("all");
        assertThat(state.getBoolean("broker.reachable")).isTrue();
        assertThat(state.getList("broker.models.itemsQueue")).as("a queue a model")
                .contains(BrokerProfile.ITEMS_QUEUE, BrokerProfile.DIGITS_QUEUE);
        assertThat(state.getList("broker.models.workers", Integer.class)).as("this process loaded each model")
                .allSatisfy(workers -> assertThat(workers).isEqualTo(1));
        Management.given().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("broker reachable"));

        String id = start(RunSpecs.spec().items(1, 50).noSentinel().inferenceMs(2).json());
        List<SseClient.Event> results = results(stream(id));

        assertThat(results).extracting(e -> data(e).getLong("seq")).containsExactlyElementsOf(seqs(1, 50));
        assertThat(results).allSatisfy(e -> assertThat(data(e).getString("worker")).isEqualTo(BrokerProfile.INSTANCE));
        JsonPath end = awaitEnd(id);
        assertThat(end.getString("state")).isEqualTo("completed");
        assertThat(end.getLong("counts.processed")).isEqualTo(50);
        assertThat(end.getMap("workers")).containsEntry(BrokerProfile.INSTANCE, 50);
    }

    /** With a broker the simulated model's intake in this process does not run: only a worker can answer. */
    @Test
    void aV2RequestsRowsGoThroughTheBrokerToTheWorkers() {
        await().atMost(Duration.ofSeconds(10)).until(() -> pipeline().getInt("broker.workers") == 1);
        JsonPath answer = given().contentType(ContentType.JSON).body("""
                {"inputs": [{"name": "value", "shape": [3, 1], "datatype": "INT64", "data": [10, 50, 90]}]}
                """).post("/v2/models/simulated/infer").then().statusCode(200).extract().jsonPath();
        assertThat(answer.getList("outputs[0].data")).containsExactly("low", "high", "high");
    }

    @Test
    void theSettingsCannotChangeLiveWithABrokerWhoseQueueLengthIsDeclaredOnce() {
        int capacity = pipeline().getInt("capacity");

        given().contentType(ContentType.JSON).body(Map.of("capacity", capacity + 1)).when().put("/api/pipeline")
                .then().statusCode(409).contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("only in one process"));
        assertThat(pipeline().getInt("capacity")).isEqualTo(capacity);
    }

    @Test
    void theItemsOutstandingNeverOutnumberTheCapacityAndBlockLosesNothing() {
        // 40 ms an item: the broker's round trips, slow on a loaded host, stay small beside the model's time, so that the
        // verdict below is the queue's doing and not the host's; items enough that the capacity fills early in the run
        String id = start(RunSpecs.spec().items(1, 200).noSentinel().inferenceMs(40).json());
        AtomicInteger deepest = new AtomicInteger();
        AtomicInteger mostMessages = new AtomicInteger();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> {
            deepest.accumulateAndGet(pipeline().getInt("depth"), Math::max);
            mostMessages.accumulateAndGet(rabbit.depth(BrokerProfile.ITEMS_QUEUE), Math::max);
            return !"running".equals(run(id).getString("state"));
        });

        JsonPath end = run(id);
        int capacity = end.getInt("queue.capacity");
        assertThat(deepest.get()).as("the depth, in items: in the broker's queue or held by the worker")
                .isPositive().isLessThanOrEqualTo(capacity);
        assertThat(end.getInt("queue.maxDepth")).isPositive().isLessThanOrEqualTo(capacity);
        assertThat(mostMessages.get()).as("the broker's queue").isLessThanOrEqualTo(capacity);
        assertThat(end.getString("state")).isEqualTo("completed");
        assertThat(end.getLong("counts.processed")).isEqualTo(200);
        assertThat(end.getLong("counts.dropped")).isZero();
        // the queue filled up: the loader waited for room, and more than the model waited for data
        assertThat(end.getString("stats.verdict")).isEqualTo("model-bound");
        assertThat(end.getString("stats.reason")).contains("the loader waited for room");
        assertThat(end.getDouble("stats.loaderBlockedShare"))
                .as("the loader waited for room more than the model for data")
                .isGreaterThan(end.getDouble("stats.modelIdleShare"));
        double waitedMs = results(stream(id)).stream().mapToDouble(e -> data(e).getDouble("loaderWaitMs")).sum();
        assertThat(end.getDouble("stats.loaderBlockedShare")).as("the items' waits for room over the run's time")
                .isCloseTo(waitedMs / end.getDouble("stats.elapsedMs"), within(0.002));
    }

    @Test
    void dropCountsWhatTheFullBrokerQueueRefusedAndStreamsTheRest() {
        String id = start(RunSpecs.spec().items(1, 100).noSentinel().inferenceMs(20).overflow("drop").json());
        List<SseClient.Event> events = stream(id);
        JsonPath end = data(events.get(events.size() - 1));

        assertThat(end.getString("state")).isEqualTo("completed");
        long processed = end.getLong("counts.processed");
        long dropped = end.getLong("counts.dropped");
        assertThat(dropped).as("a slow worker leaves no room for some items").isPositive();
        assertThat(processed + dropped).isEqualTo(100);
        assertThat(results(events)).hasSize((int) processed)
                .extracting(e -> data(e).getLong("seq")).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void failEndsTheRunWhenTheBrokerRefusesAnItem() {
        // a worker far slower than the loader: the queue fills whatever the host's load (the run ends at the refusal)
        String id = start(RunSpecs.spec().items(1, 100).noSentinel().inferenceMs(100).overflow("fail").json());
        JsonPath end = awaitEnd(id);

        assertThat(end.getString("state")).isEqualTo("failed");
        assertThat(end.getString("failure")).contains("the broker refused item", "overflow policy is fail");
        assertThat(end.getLong("counts.loaded")).isLessThan(100)
                .isEqualTo(end.getLong("counts.processed") + end.getLong("counts.dropped")
                        + end.getLong("counts.cancelled"));
    }

    @Test
    void aResultTheBrokerDeliversTwiceReachesTheStreamOnce() throws IOException {
        double unexpectedBefore = Metrics.valueOrZero("mlpipe_results_unexpected_total");
        // long enough that the copy arrives while the run goes on (a finished run's counts are final)
        String id = start(RunSpecs.spec().items(1, 20).noSentinel().inferenceMs(150).json());
        List<SseClient.Event> events = new ArrayList<>();
        try (SseClient client = SseClient.connect("/api/runs/" + id + "/events")) {
            SseClient.Event first;
            do {
                first = client.next(Duration.ofSeconds(10));
                events.add(first);
            } while (!first.type().equals("result"));
            // as a worker would after a lost acknowledgement: the same result once more, and one for no known run
            JsonPath r = data(first);
            Result again = new Result(r.getString("runId"), r.getLong("seq"), r.getInt("value"),
                    r.getString("prediction"), r.getDouble("score"), r.getInt("queueDepth"), r.getLong("loadedUs"),
                    r.getLong("enqueuedUs"), r.getLong("dequeuedUs"), r.getLong("startedUs"), r.getLong("finishedUs"),
                    r.getString("worker"), r.getLong("batchId"), r.getInt("batchSize"));
            Result stray = new Result("ffffffffffff", 1, 1, "low", 0.1, 0, 1, 1, 1, 1, 1, "nobody", 1, 1);
            rabbit.publishToExchange(BrokerProfile.RESULTS_EXCHANGE,
                    JsonObject.mapFrom(new ResultBatch(List.of(again))).encode());
            rabbit.publishToExchange(BrokerProfile.RESULTS_EXCHANGE,
                    JsonObject.mapFrom(new ResultBatch(List.of(stray))).encode());
            events.addAll(client.untilEnd(Duration.ofSeconds(30)));
        }

        assertThat(results(events)).extracting(e -> data(e).getLong("seq")).containsExactlyElementsOf(seqs(1, 20));
        assertThat(awaitEnd(id).getLong("counts.processed")).isEqualTo(20);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                Metrics.valueOrZero("mlpipe_results_unexpected_total") - unexpectedBefore)
                .as("both reached the api, were told apart and counted").isEqualTo(2));
    }

    @Test
    void aBlockRunFailedByABrokerOutageStopsLoadingAndPublishesNothingMore() throws IOException {
        // a block run waiting for room in a full queue (no worker takes items), failed as a broker away past
        // mlpipe.broker.outage-limit fails it; then room appears, which a loader still going would fill
        worker.stopTaking();
        try {
            rabbit.purge(BrokerProfile.ITEMS_QUEUE);
            String id = start(RunSpecs.spec().items(1, 500).noSentinel().inferenceMs(0).json());
            // every place taken: the items at the worker, which holds them unacknowledged
            await().atMost(Duration.ofSeconds(10)).until(() -> pipeline().getInt("depth") == 10);
            outage.fire(new BrokerWatch.Outage(Duration.ofSeconds(60)));
            JsonPath end = awaitEnd(id);
            assertThat(end.getString("state")).isEqualTo("failed");
            assertThat(end.getString("failure")).contains("mlpipe.broker.outage-limit");
            long loaded = end.getLong("counts.loaded");
            assertThat(loaded).as("the run was still loading").isLessThan(500);

            // the failed run's places are free again; a waiting loader tries again at least once a second: three
            // seconds would see it
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .until(() -> rabbit.depth(BrokerProfile.ITEMS_QUEUE) == 0
                            && run(id).getLong("counts.loaded") == loaded);
            assertThat(end.getLong("counts.loaded")).isEqualTo(end.getLong("counts.processed")
                    + end.getLong("counts.dropped") + end.getLong("counts.cancelled"));
        } finally {
            worker.resume();
        }
    }

    @Test
    void workerNamesThatResultsClaimAreBoundedInLengthAndNumber() throws IOException {
        // a results publisher may claim any worker name: seventy of them here, each of ten thousand characters; a
        // run whose items the worker may not take (its intake paused) gets its results from this test instead. The
        // real worker delivers first, as in any service that has run a while: whatever test ran before, its name is
        // known before the flood, and stays its own after it
        String real = start(RunSpecs.spec().items(1, 1).noSentinel().inferenceMs(0).json());
        assertThat(awaitEnd(real).getMap("workers")).containsOnlyKeys(BrokerProfile.INSTANCE);
        worker.stopTaking();
        String lastRun = null;
        try {
            for (int run = 0; run < 7; run++) {
                rabbit.purge(BrokerProfile.ITEMS_QUEUE);
                String id = start(RunSpecs.spec().items(1, 10).noSentinel().inferenceMs(0).json());
                await().atMost(Duration.ofSeconds(10)).until(() -> run(id).getLong("counts.loaded") == 10);
                List<Result> forged = new ArrayList<>();
                for (int seq = 1; seq <= 10; seq++) {
                    forged.add(new Result(id, seq, 5, "low", 0.0067, 1, 1, 1, 1, 1, 1,
                            "forged-" + run + "-" + seq + "-" + "x".repeat(10_000), 1, 1));
                }
                rabbit.publishToExchange(BrokerProfile.RESULTS_EXCHANGE,
                        JsonObject.mapFrom(new ResultBatch(forged)).encode());
                JsonPath end = awaitEnd(id);
                assertThat(end.getString("state")).isEqualTo("completed");
                assertThat(end.getMap("workers").keySet()).as("the run's workers, as GET /api/runs/{id} shows them")
                        .allSatisfy(name -> assertThat((String) name).hasSizeLessThanOrEqualTo(64));
                lastRun = id;
            }
        } finally {
            rabbit.purge(BrokerProfile.ITEMS_QUEUE);
            worker.resume();
        }

        assertThat(results(stream(lastRun))).as("each result's worker, as the stream shows it")
                .allSatisfy(e -> assertThat(data(e).getString("worker")).hasSizeLessThanOrEqualTo(64));
        String metrics = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        List<String> workers = new ArrayList<>();
        Matcher series = Pattern.compile("^mlpipe_worker_items_total\\{worker=\"([^\"]*)\",?}", Pattern.MULTILINE)
                .matcher(metrics);
        while (series.find()) {
            workers.add(series.group(1));
        }
        assertThat(workers).as("a series per worker, at most 64 and the rest together")
                .hasSizeLessThanOrEqualTo(65).contains("other", BrokerProfile.INSTANCE)
                .allSatisfy(name -> assertThat(name).hasSizeLessThanOrEqualTo(64));
        String after = start(RunSpecs.spec().items(1, 1).noSentinel().inferenceMs(0).json());
        assertThat(awaitEnd(after).getMap("workers")).as("the real worker keeps its name after the flood")
                .containsOnlyKeys(BrokerProfile.INSTANCE);
    }

    private static String item(String runId, String seq, String inferenceMs, String loadedUs, String queueDepth) {
        return "{\"runId\":" + runId + ",\"seq\":" + seq + ",\"value\":5,\"inferenceMs\":" + inferenceMs
                + ",\"priority\":3,\"deadlineMs\":0,\"loadedUs\":" + loadedUs + ",\"enqueuedUs\":0,\"queueDepth\":" + queueDepth + "}";
    }

    @Test
    void itemsThatWaitInTheBrokersQueuePastTheirDeadlineExpireAtTheWorkerAndAreStreamedAndCounted() {
        // one item at a time, each 50 ms: with the broker's queue full, most wait longer than 120 ms
        String id = start(RunSpecs.spec().items(1, 30).noSentinel().inferenceMs(50).deadlineMs(120).json());

        JsonPath end = awaitEnd(id);

        assertThat(end.getString("state")).isEqualTo("completed");
        long processed = end.getLong("counts.processed");
        long expired = end.getLong("counts.expired");
        assertThat(processed).isPositive();
        assertThat(expired).isPositive();
        assertThat(processed + expired).isEqualTo(end.getLong("counts.loaded")).isEqualTo(30);
        List<SseClient.Event> events = stream(id).stream().filter(e -> e.type().equals("result")
                || e.type().equals("expired")).toList();
        assertThat(events).extracting(SseClient.Event::id).as("one event per seq, in load order")
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 30).boxed().toList());
        assertThat(events.stream().filter(e -> e.type().equals("expired"))).hasSize((int) expired)
                .allSatisfy(e -> assertThat(data(e).getDouble("queueWaitMs")).isGreaterThanOrEqualTo(120));
    }

    @Test
    void aWorkerRejectsEveryMessageThatIsNotAnItemAndGoesOnTakingItems() throws IOException {
        // broker messages are untrusted input: whatever lands in the items queue, as a broken or hostile producer
        // would publish it, is acknowledged, counted as rejected, and the worker goes on
        await().atMost(Duration.ofSeconds(10)).until(() -> pipeline().getInt("broker.workers") == 1);
        double rejectedBefore = Metrics.valueOrZero(REJECTED);
        String id = "\"0123456789ab\"";
        List<String> poison = List.of(
                item("null", "1", "0", "0", "0"), // the null run id that once stopped a worker for good
                item("\"not-a-run\"", "1", "0", "0", "0"),
                item("\"" + "a".repeat(1 << 20) + "\"", "1", "0", "0", "0"), // a megabyte of run id
                item("42", "1", "0", "0", "0"),
                item(id, "0", "0", "0", "0"),
                item(id, "-5", "0", "0", "0"),
                item(id, "1", "2147483647", "0", "0"), // would hold a model slot for 24 days
                item(id, "1", "-1", "0", "0"),
                item(id, "1", "0", "-1", "0"),
                item(id, "1", "0", "0", "-3"),
                item(id, "1e30", "0", "0", "0"),
                item(id, "\"x\"", "0", "0", "0"),
                item(id, "{\"nested\":1}", "0", "0", "0"),
                "{}", "[1,2,3]", "\"a string\"", "null", "17", "not json at all", "{\"runId\":", "");
        List<Map.Entry<String, byte[]>> messages = new ArrayList<>();
        poison.forEach(body -> messages.add(Map.entry("application/json", body.getBytes(StandardCharsets.UTF_8))));
        byte[] binary = { (byte) 0xff, (byte) 0xfe, 0, 1, 2, (byte) 0x80 };
        messages.add(Map.entry("application/octet-stream", binary));
        messages.add(Map.entry("text/plain", "seq=1".getBytes(StandardCharsets.UTF_8)));
        messages.add(new AbstractMap.SimpleEntry<>(null, binary)); // no content type at all

        // one at a time: the items queue holds at most the pipeline's capacity, and refuses what is published beyond
        for (int i = 0; i < messages.size(); i++) {
            Map.Entry<String, byte[]> message = messages.get(i);
            rabbit.publishToQueue(BrokerProfile.ITEMS_QUEUE, message.getKey(), message.getValue());
            int rejected = i + 1;
            String what = new String(message.getValue(), 0, Math.min(80, message.getValue().length),
                    StandardCharsets.UTF_8);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    Metrics.valueOrZero(REJECTED) - rejectedBefore).as("rejected and counted: " + what)
                    .isEqualTo(rejected));
        }
        assertThat(rabbit.depth(BrokerProfile.ITEMS_QUEUE)).as("each acknowledged, none delivered again").isZero();
        int published = messages.size();

        // results that are not results reach the api's results queue too; they are discarded
        rabbit.publishToExchange(BrokerProfile.RESULTS_EXCHANGE, "[1,2,3]");
        rabbit.publishToExchange(BrokerProfile.RESULTS_EXCHANGE, "{\"seq\":1}");

        // the same worker still runs a normal run, every result once and in order
        String run = start(RunSpecs.spec().items(1, 50).noSentinel().inferenceMs(1).json());
        List<SseClient.Event> results = results(stream(run));
        assertThat(results).extracting(e -> data(e).getLong("seq")).containsExactlyElementsOf(seqs(1, 50));
        JsonPath end = awaitEnd(run);
        assertThat(end.getString("state")).isEqualTo("completed");
        assertThat(end.getLong("counts.processed")).isEqualTo(50);
        assertThat(Metrics.valueOrZero(REJECTED) - rejectedBefore).as("a normal run has nothing rejected")
                .isEqualTo(published);
    }

    private static List<Long> seqs(long from, long to) {
        List<Long> seqs = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            seqs.add(s);
        }
        return seqs;
    }
}
