package dev.mlpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.mlpipe.support.ParsedJson;
import dev.mlpipe.support.Rabbit;
import dev.mlpipe.support.RabbitRequired;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.ServiceProcess;
import dev.mlpipe.support.SseClient;
import io.restassured.path.json.JsonPath;

/**
 * Scale out as a user does it: the packaged jar, started as one {@code api} process and {@code worker} processes, over
 * the RabbitMQ on 127.0.0.1:5672. Each test has a queue and exchange of its own, deleted afterwards. Timings are
 * printed and appended to {@code target/scale-out.txt}, never asserted. The tests that stop neither the broker nor
 * a process they did not start share one api and one worker ({@link #shared()}), started once; a test that starts a
 * worker of its own beside them stops it before the next.
 */
@RabbitRequired
class ScaleOutIT {

    /** A model-bound run: 300 items at 20 ms each, as the issue describes it. */
    private static final String RUN = RunSpecs.spec().items(1, 300).noSentinel().inferenceMs(20).json();

    /** An api and a worker w1 in a namespace of their own, for the tests that stop neither them nor the broker. */
    private record Shared(String namespace, ServiceProcess api, ServiceProcess worker) {
    }

    private static Shared shared;

    private final List<ServiceProcess> processes = new ArrayList<>();
    private String prefix;
    private boolean brokerStopped;

    @BeforeEach
    void name() {
        prefix = "mlpipe-it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void stopAndCleanUp() throws IOException {
        processes.forEach(ServiceProcess::close);
        if (brokerStopped) {
            Rabbit.startBroker(); // also when the test failed before it started it again
        }
        deleteQueues(prefix, prefix + "-a", prefix + "-b");
    }

    @AfterAll
    static void stopShared() throws IOException {
        if (shared != null) {
            shared.api().close();
            shared.worker().close();
            deleteQueues(shared.namespace());
        }
    }

    @Test
    void twoDeploymentsWithTheirOwnNamespacesNeverSeeEachOthersItems() throws Exception {
        // two api + worker pairs on one broker at once: the shared one, and b's in a namespace of its own
        ServiceProcess a = shared().api();
        String other = prefix + "-b";
        List<ServiceProcess> b = List.of(launch("api", "b", "mlpipe.broker.namespace=" + other),
                launch("worker", "bw", "mlpipe.broker.namespace=" + other));
        b.forEach(ServiceProcess::awaitReady);
        awaitWorkers(b.get(0), 1);
        String spec = RunSpecs.spec().items(1, 200).noSentinel().inferenceMs(5).json();
        CompletableFuture<Outcome> ofA = stream(a, a.startRun(spec));
        CompletableFuture<Outcome> ofB = stream(b.get(0), b.get(0).startRun(spec));

        Outcome runA = ofA.get(60, TimeUnit.SECONDS);
        Outcome runB = ofB.get(60, TimeUnit.SECONDS);
        runA.assertEachResultOnce(200);
        runB.assertEachResultOnce(200);
        assertThat(runA.end.getMap("workers")).as("a's items went to a's worker only").containsOnlyKeys("w1");
        assertThat(runB.end.getMap("workers")).as("b's items went to b's worker only").containsOnlyKeys("bw");
        assertThat(b.get(0).json("/api/pipeline").getList("broker.models.itemsQueue", String.class))
                .allSatisfy(queue -> assertThat(queue).startsWith(other + ".items."));
        assertThat(a.json("/api/pipeline").getInt("broker.workers")).as("only a's worker reads a's queue").isEqualTo(1);
        assertThat(b.get(0).json("/api/pipeline").getInt("broker.workers")).isEqualTo(1);
    }

    @Test
    void aKilledApiLeavesNoResultsQueueBehindOnceTheOutageLimitHasPassed() throws Exception {
        ServiceProcess api = start("api", "api", "mlpipe.broker.outage-limit=2s");
        // listed, not declared passively: a declaration would renew the queue's lease
        Pattern listed = Pattern.compile("^" + Pattern.quote(prefix + ".results.api") + "\\s", Pattern.MULTILINE);
        assertThat(Rabbit.queues()).containsPattern(listed);
        api.kill();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> !listed.matcher(Rabbit.queues()).find());
    }

    @Test
    void aStartWithARemovedQueueSettingRefusesNamingTheNamespace() throws Exception {
        ServiceProcess old = launch("worker", "old", "mlpipe.broker.items-queue=" + prefix + ".items");

        assertThat(old.process().waitFor(60, TimeUnit.SECONDS)).as("it gives up").isTrue();
        assertThat(old.process().exitValue()).isNotZero();
        assertThat(old.log()).contains("mlpipe.broker.items-queue", "is no longer read", "mlpipe.broker.namespace");
    }

    @Test
    void twoWorkersShareAModelBoundRunAndOneStoppedWithSigtermLeavesTheRestToTheOther() throws Exception {
        // the shared api and worker w1, and a second worker w2 that leaves at the end: the shared ones stay as they were
        ServiceProcess api = shared().api();
        Outcome one = stream(api, api.startRun(RUN)).join();

        ServiceProcess w2 = ServiceProcess.start("scale-out-w2", settingsIn(shared.namespace(), "worker", "w2"));
        processes.add(w2);
        w2.awaitReady();
        awaitWorkers(api, 2);
        Outcome two = stream(api, api.startRun(RUN)).join();

        one.assertEachResultOnce(300);
        two.assertEachResultOnce(300);
        assertThat(one.end.getMap("workers")).containsOnlyKeys("w1");
        assertThat(two.end.getMap("workers")).as("both workers took items").containsOnlyKeys("w1", "w2")
                .allSatisfy((worker, items) -> assertThat((Integer) items).isGreaterThan(50));
        long oneMs = one.durationMs();
        long twoMs = two.durationMs();
        report(String.format(Locale.ROOT, "300 items x 20 ms: one worker %d ms, two workers %d ms, ratio %.2f",
                oneMs, twoMs, (double) twoMs / oneMs));

        // a third run, which w2 leaves with SIGTERM a third of the way through: w1 takes what w2 did not
        CompletableFuture<Outcome> outcome = startRunAndAwait(api, 100);
        w2.process().destroy(); // SIGTERM
        // it stops taking items at once, so it need not wait out its drain limit (15 s) for a queue that never empties
        assertThat(w2.process().waitFor(10, TimeUnit.SECONDS)).as("the worker exits promptly").isTrue();
        assertThat(w2.process().exitValue()).isZero();

        Outcome three = outcome.get(60, TimeUnit.SECONDS);
        three.assertEachResultOnce(300);
        assertThat(three.end.getMap("workers")).as("both took items").containsOnlyKeys("w1", "w2");
    }

    @Test
    void aWorkerKilledWithAFullPrefetchLosesNothingAndDuplicatesNothing() throws Exception {
        // one item a message and a prefetch of 64 with 300 places: each worker holds a full prefetch, the rest wait
        List<String> settings = List.of("mlpipe.models.simulated.capacity=300", "mlpipe.broker.items-per-message=1",
                "mlpipe.broker.min-prefetch=64");
        List<ServiceProcess> started = apiAndWorkers(2, settings, settings);
        ServiceProcess api = started.get(0);
        ServiceProcess doomed = started.get(1);
        // 20 ms an item: both workers stay full for about 9 s of the 10, a window rabbitmqctl can see on a busy host
        String id = api.startRun(RunSpecs.spec().items(1, 1_000).noSentinel().inferenceMs(20).json());
        CompletableFuture<Outcome> outcome = stream(api, id);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Rabbit.unacknowledged(prefix + ".items.simulated") == 2 * 64);
        long processed = api.json("/api/runs/" + id).getLong("counts.processed");
        doomed.kill();

        Outcome run = within(outcome, api, Duration.ofSeconds(90));
        run.assertEachResultOnce(1_000);
        assertThat(run.end.getMap("workers")).containsKeys("w1", "w2");
        report(String.format(Locale.ROOT, "kill -9 of a worker holding 64 messages at %d of 1000: completed, %d "
                + "results, %d distinct, by worker %s", processed, run.results.size(),
                run.results.stream().distinct().count(), run.end.getMap("workers")));
    }

    @Test
    void aBrokerRestartMidRunEndsTheRunCompletedOrHonestlyFailed() throws Exception {
        ServiceProcess api = apiAndWorkers(2).get(0);
        CompletableFuture<Outcome> outcome = startRunAndAwait(api, 100);

        stopBroker();
        // two requests are two moments: wait until both say the broker is away, rather than reading each once
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(api.probe("/q/health/ready").statusCode()).as("readiness").isEqualTo(503);
            assertThat(api.json("/api/pipeline").getBoolean("broker.reachable")).as("broker.reachable").isFalse();
        });
        Rabbit.startBroker();

        Outcome run = within(outcome, api, Duration.ofSeconds(90));
        assertThat(run.results).doesNotHaveDuplicates();
        if (run.end.getString("state").equals("completed")) {
            run.assertEachResultOnce(300);
        } else {
            assertThat(run.end.getString("state")).isEqualTo("failed");
            assertThat(run.end.getString("failure")).contains("broker");
            assertThat((long) run.results.size()).isEqualTo(run.end.getLong("counts.processed"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> api.probe("/q/health/ready").statusCode() == 200);
        Matcher again = Pattern.compile("publishing again the (\\d+) items").matcher(api.log());
        report("broker restart (rabbitmqctl stop_app, start_app) at 100 of 300: " + run.end.getString("state")
                + ", " + run.results.size() + " results, none twice; items published again after the reconnection: "
                + (again.find() ? again.group(1) : "0"));
    }

    @Test
    void aBrokerAwayLongerThanTheOutageLimitFailsTheRunSayingWhy() throws Exception {
        ServiceProcess api = apiAndWorkers(1, "mlpipe.broker.outage-limit=3s").get(0);
        CompletableFuture<Outcome> outcome = startRunAndAwait(api, 20);

        stopBroker();
        Outcome run = outcome.get(60, TimeUnit.SECONDS);
        Rabbit.startBroker();

        assertThat(run.end.getString("state")).isEqualTo("failed");
        assertThat(run.end.getString("failure")).contains("broker has been unreachable", "mlpipe.broker.outage-limit");
        assertThat(run.results).doesNotHaveDuplicates().hasSize((int) run.end.getLong("counts.processed"));
        assertThat(run.end.getLong("counts.loaded")).isEqualTo(run.end.getLong("counts.processed")
                + run.end.getLong("counts.dropped") + run.end.getLong("counts.cancelled"));
        await().atMost(Duration.ofSeconds(10)).until(() -> api.probe("/q/health/ready").statusCode() == 200);
    }

    @Test
    void aWorkerTakesNoRunsAndSaysWhereToStartThem() throws Exception {
        ServiceProcess worker = shared().worker();
        HttpResponse<String> refused = worker.post("/api/runs", "{}");

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JsonPath.from(refused.body()).getString("detail")).contains("mlpipe.role=worker", "api process");
        assertThat(worker.json("/api/pipeline").getString("role")).isEqualTo("worker");
    }

    @Test
    void aProcessWhoseCapacityDisagreesWithTheBrokersQueueRefusesToStart() throws Exception {
        String namespace = shared().namespace(); // whose worker declared the queue
        ServiceProcess odd = ServiceProcess.start("scale-out-odd",
                settingsIn(namespace, "worker", "odd", "mlpipe.models.simulated.capacity=5"));
        processes.add(odd);

        assertThat(odd.process().waitFor(60, TimeUnit.SECONDS)).as("it gives up").isTrue();
        assertThat(odd.process().exitValue()).isNotZero();
        assertThat(odd.log()).contains("already has a queue " + namespace + ".items.simulated", "x-max-length 5",
                "mlpipe.models.simulated.capacity");
    }

    @Test
    void aBrokerProcessWithoutCredentialsRefusesToStartNamingThem() throws Exception {
        // as an operator who forgot them: the broker profile in production, no rabbitmq-username or -password
        ServiceProcess bare = ServiceProcess.start("scale-out-no-credentials", "quarkus.profile=broker",
                "mlpipe.role=worker", "mlpipe.broker.namespace=" + prefix, "rabbitmq-host=" + Rabbit.HOST,
                "rabbitmq-port=" + Rabbit.PORT);
        processes.add(bare);

        assertThat(bare.process().waitFor(60, TimeUnit.SECONDS)).as("it gives up").isTrue();
        assertThat(bare.process().exitValue()).isNotZero();
        assertThat(bare.log()).contains("RABBITMQ_USERNAME", "RABBITMQ_PASSWORD");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** What a client reading a run's whole stream saw: the seq of each result, and the end event. */
    private record Outcome(List<Long> results, JsonPath end) {

        void assertEachResultOnce(int items) {
            assertThat(end.getString("state")).isEqualTo("completed");
            assertThat(end.getLong("counts.processed")).isEqualTo(items);
            assertThat(results).as("each result once").hasSize(items).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(LongRange.of(1, items));
        }

        long durationMs() {
            return Duration.between(Instant.parse(end.getString("createdAt")), Instant.parse(end.getString("endedAt")))
                    .toMillis();
        }
    }

    private static final class LongRange {
        static List<Long> of(long from, long to) {
            List<Long> all = new ArrayList<>();
            for (long n = from; n <= to; n++) {
                all.add(n);
            }
            return all;
        }
    }

    /** Starts the 300-item run and returns its stream's outcome to come, once this many results are in. */
    private static CompletableFuture<Outcome> startRunAndAwait(ServiceProcess api, long processed) throws Exception {
        String id = api.startRun(RUN);
        CompletableFuture<Outcome> outcome = stream(api, id);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> api.json("/api/runs/" + id).getLong("counts.processed") >= processed);
        return outcome;
    }

    private static CompletableFuture<Outcome> stream(ServiceProcess api, String id) {
        SseClient client = SseClient.connect(URI.create(api.base() + "/api/runs/" + id + "/events"), Map.of());
        return CompletableFuture.supplyAsync(() -> {
            try (client) {
                List<SseClient.Event> events = client.untilEnd(Duration.ofSeconds(90));
                List<Long> seqs = events.stream().filter(e -> e.type().equals("result"))
                        .map(e -> new ParsedJson(e.data()).getLong("seq")).toList();
                return new Outcome(seqs, new ParsedJson(events.get(events.size() - 1).data()));
            }
        });
    }

    /** The outcome, or a failure that shows what the api made of the run when it did not come. */
    private static Outcome within(CompletableFuture<Outcome> outcome, ServiceProcess api, Duration limit)
            throws Exception {
        try {
            return outcome.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException stuck) {
            throw new AssertionError("the run did not end within " + limit + "; the api shows "
                    + api.get("/api/runs").body() + " and the pipeline " + api.get("/api/pipeline").body()
                    + "; the broker's queues (ready, unacknowledged, consumers):\n" + Rabbit.queues(), stuck);
        }
    }

    private ServiceProcess start(String role, String id, String... more) {
        return launch(role, id, more).awaitReady();
    }

    /** Starts a process and returns without waiting for it to be ready. */
    private ServiceProcess launch(String role, String id, String... more) {
        ServiceProcess process = ServiceProcess.start("scale-out-" + id, settings(role, id, more));
        processes.add(process);
        return process;
    }

    private String[] settings(String role, String id, String... more) {
        return settingsIn(prefix, role, id, more);
    }

    private static String[] settingsIn(String namespace, String role, String id, String... more) {
        List<String> all = new ArrayList<>(List.of("quarkus.profile=broker", "mlpipe.role=" + role,
                "mlpipe.instance-id=" + id, "mlpipe.broker.namespace=" + namespace, "rabbitmq-host=" + Rabbit.HOST,
                "rabbitmq-port=" + Rabbit.PORT, "rabbitmq-username=guest", "rabbitmq-password=guest"));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** Starts an api process (with these settings) and workers w1..wn, and returns them, api first, once ready. */
    private List<ServiceProcess> apiAndWorkers(int workers, String... apiSettings) {
        return apiAndWorkers(workers, List.of(apiSettings), List.of());
    }

    private List<ServiceProcess> apiAndWorkers(int workers, List<String> apiSettings, List<String> workerSettings) {
        List<ServiceProcess> started = new ArrayList<>();
        started.add(launch("api", "api", apiSettings.toArray(String[]::new)));
        for (int w = 1; w <= workers; w++) {
            started.add(launch("worker", "w" + w, workerSettings.toArray(String[]::new)));
        }
        started.forEach(ServiceProcess::awaitReady); // started together, as an operator would: their starts overlap
        awaitWorkers(started.get(0), workers);
        return started;
    }

    /** The shared api and worker, started by the first test that asks, with one worker again. */
    private static Shared shared() {
        if (shared == null) {
            String namespace = "mlpipe-it-shared-" + UUID.randomUUID().toString().substring(0, 8);
            ServiceProcess api = ServiceProcess.start("scale-out-shared-api", settingsIn(namespace, "api", "api"));
            ServiceProcess worker = ServiceProcess.start("scale-out-shared-w1", settingsIn(namespace, "worker", "w1"));
            shared = new Shared(namespace, api.awaitReady(), worker.awaitReady());
        }
        awaitWorkers(shared.api(), 1); // a worker a test added has gone with it
        return shared;
    }

    /** Stops the broker, and has it started again after the test whatever happens. */
    private void stopBroker() {
        brokerStopped = true;
        Rabbit.stopBroker();
    }

    private static void deleteQueues(String... namespaces) throws IOException {
        try (Rabbit rabbit = Rabbit.connect()) {
            for (String namespace : namespaces) {
                rabbit.delete(namespace + ".results", namespace + ".items.simulated", namespace + ".items.digits",
                        namespace + ".dead",
                        namespace + ".results.api", namespace + ".results.a", namespace + ".results.b");
            }
        }
    }

    private static void awaitWorkers(ServiceProcess api, int workers) {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> api.json("/api/pipeline").getInt("broker.workers") == workers);
    }

    private static void report(String line) throws IOException {
        System.out.println("[scale-out] " + line);
        Files.writeString(Path.of("target/scale-out.txt"), line + System.lineSeparator(), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
