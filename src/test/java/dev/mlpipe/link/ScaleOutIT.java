package dev.mlpipe.link;

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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import dev.mlpipe.support.Rabbit;
import dev.mlpipe.support.RabbitRequired;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.ServiceProcess;
import dev.mlpipe.support.SseClient;
import io.restassured.path.json.JsonPath;

/**
 * Scale out as a user does it: the packaged jar, started as one {@code api} process and {@code worker} processes, over
 * the RabbitMQ on 127.0.0.1:5672. One {@code api} process and one worker ({@code w1}) on a queue and exchange of their
 * own serve the whole class, which deletes them afterwards; a test that needs a second worker starts (and stops) its
 * own {@code w2}, and a test that needs a process set up otherwise has a queue and exchange of its own. Each test first
 * waits until the api sees the workers it expects, and cancels whatever run of its own is still going. Timings are
 * printed and appended to {@code target/scale-out.txt}, never asserted.
 */
@RabbitRequired
class ScaleOutIT {

    /** A model-bound run: 300 items at 20 ms each, as the issue describes it. */
    private static final String RUN = RunSpecs.spec().items(1, 300).noSentinel().inferenceMs(20).json();

    /** The queue and exchange of the shared processes, and the shared processes: the api first, then w1. */
    private static String shared;
    private static final List<ServiceProcess> sharedProcesses = new ArrayList<>();
    private static ServiceProcess api;
    private static ServiceProcess w1;

    /** What this test started beside the shared processes, its own queue and exchange (if any), and its runs. */
    private final List<ServiceProcess> processes = new ArrayList<>();
    private final List<String> prefixes = new ArrayList<>();
    private final List<String> runs = new ArrayList<>();
    /** The test's name, which the logs of its own processes carry: target/scale-out-<test>-<id>.log. */
    private String test;

    @BeforeAll
    static void startSharedProcesses() {
        shared = newPrefix();
        // started together, then awaited: two JVMs start faster side by side than one after the other
        api = ServiceProcess.start("scale-out-api", settings(shared, "api", "api"));
        sharedProcesses.add(api);
        w1 = ServiceProcess.start("scale-out-w1", settings(shared, "worker", "w1"));
        sharedProcesses.add(w1);
        api.awaitReady();
        w1.awaitReady();
    }

    @AfterAll
    static void stopSharedProcesses() throws IOException {
        sharedProcesses.forEach(ServiceProcess::close);
        if (shared != null) {
            deleteTopology(shared);
        }
    }

    @BeforeEach
    void sharedProcessesAreAsTheyStarted(TestInfo test) {
        this.test = test.getTestMethod().orElseThrow().getName();
        assertThat(api.process().isAlive()).as("the shared api process").isTrue();
        assertThat(w1.process().isAlive()).as("the shared worker w1").isTrue();
        awaitWorkers(api, 1); // w1 alone: a worker another test started is gone, w1 is back after a broker restart
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> api.json("/api/pipeline").getInt("depth") == 0); // no item of an earlier test waits
    }

    @AfterEach
    void stopAndCleanUp() throws IOException {
        processes.forEach(ServiceProcess::close);
        if (!Rabbit.answers()) {
            Rabbit.startBroker(); // whatever a test did to it
        }
        for (String run : runs) { // a run a failed test left going would hold the shared workers
            try {
                api.delete("/api/runs/" + run);
            } catch (IOException | InterruptedException e) {
                // the api will be checked before the next test
            }
        }
        for (String prefix : prefixes) {
            deleteTopology(prefix);
        }
    }

    @Test
    void twoWorkersShareAModelBoundRun() throws Exception {
        Outcome one = stream(api, startRun(api)).join();

        startWorker("w2");
        awaitWorkers(api, 2);
        Outcome two = stream(api, startRun(api)).join();

        one.assertEachResultOnce(300);
        two.assertEachResultOnce(300);
        assertThat(one.end.getMap("workers")).containsOnlyKeys("w1");
        assertThat(two.end.getMap("workers")).as("both workers took items").containsOnlyKeys("w1", "w2")
                .allSatisfy((worker, items) -> assertThat((Integer) items).isGreaterThan(50));
        long oneMs = one.durationMs();
        long twoMs = two.durationMs();
        report(String.format(Locale.ROOT, "300 items x 20 ms: one worker %d ms, two workers %d ms, ratio %.2f",
                oneMs, twoMs, (double) twoMs / oneMs));
    }

    @Test
    void aWorkerKilledHalfwayLosesNothingAndDuplicatesNothing() throws Exception {
        ServiceProcess doomed = startWorker("w2");
        awaitWorkers(api, 2);
        CompletableFuture<Outcome> outcome = startRunAndAwait(150);
        doomed.kill();

        Outcome run = outcome.get(60, TimeUnit.SECONDS);
        run.assertEachResultOnce(300);
        assertThat(run.end.getMap("workers")).containsKeys("w1", "w2");
        report(String.format(Locale.ROOT, "kill -9 of a worker at 150 of 300: completed, %d results, %d distinct, "
                + "by worker %s", run.results.size(), run.results.stream().distinct().count(),
                run.end.getMap("workers")));
    }

    @Test
    void aWorkerStoppedWithSigtermFinishesWhatItHasAndLeavesTheRestToTheOthers() throws Exception {
        ServiceProcess leaving = startWorker("w2");
        awaitWorkers(api, 2);
        CompletableFuture<Outcome> outcome = startRunAndAwait(100);

        leaving.process().destroy(); // SIGTERM
        // it stops taking items at once, so it need not wait out its drain limit (15 s) for a queue that never empties
        assertThat(leaving.process().waitFor(10, TimeUnit.SECONDS)).as("the worker exits promptly").isTrue();
        assertThat(leaving.process().exitValue()).isZero();

        outcome.get(60, TimeUnit.SECONDS).assertEachResultOnce(300);
    }

    @Test
    void aBrokerRestartMidRunEndsTheRunCompletedOrHonestlyFailed() throws Exception {
        startWorker("w2");
        awaitWorkers(api, 2);
        CompletableFuture<Outcome> outcome = startRunAndAwait(100);

        Rabbit.stopBroker();
        // two requests are two moments: wait until both say the broker is away, rather than reading each once
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(api.probe("/q/health/ready").statusCode()).as("readiness").isEqualTo(503);
            assertThat(api.json("/api/pipeline").getBoolean("broker.reachable")).as("broker.reachable").isFalse();
        });
        Rabbit.startBroker();

        Outcome run = outcome.get(90, TimeUnit.SECONDS);
        assertThat(run.results).doesNotHaveDuplicates();
        if (run.end.getString("state").equals("completed")) {
            run.assertEachResultOnce(300);
        } else {
            assertThat(run.end.getString("state")).isEqualTo("failed");
            assertThat(run.end.getString("failure")).contains("broker");
            assertThat((long) run.results.size()).isEqualTo(run.end.getLong("counts.processed"));
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.probe("/q/health/ready").statusCode() == 200);
        report("broker restart (rabbitmqctl stop_app, start_app) at 100 of 300: " + run.end.getString("state")
                + ", " + run.results.size() + " results, none twice");
    }

    @Test
    void aBrokerAwayLongerThanTheOutageLimitFailsTheRunSayingWhy() throws Exception {
        // an api of its own (a short outage limit), with a worker of its own on a queue of their own
        String prefix = ownPrefix();
        ServiceProcess limited = launch(prefix, "api", "api-outage", "mlpipe.broker.outage-limit=3s");
        launch(prefix, "worker", "w-outage").awaitReady(); // started side by side
        limited.awaitReady();
        awaitWorkers(limited, 1);
        CompletableFuture<Outcome> outcome = startRunAndAwait(limited, 20);

        Rabbit.stopBroker();
        Outcome run = outcome.get(60, TimeUnit.SECONDS);
        Rabbit.startBroker();

        assertThat(run.end.getString("state")).isEqualTo("failed");
        assertThat(run.end.getString("failure")).contains("broker has been unreachable", "mlpipe.broker.outage-limit");
        assertThat(run.results).doesNotHaveDuplicates().hasSize((int) run.end.getLong("counts.processed"));
        assertThat(run.end.getLong("counts.loaded")).isEqualTo(run.end.getLong("counts.processed")
                + run.end.getLong("counts.dropped") + run.end.getLong("counts.cancelled"));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> limited.probe("/q/health/ready").statusCode() == 200);
    }

    @Test
    void aWorkerTakesNoRunsAndSaysWhereToStartThem() throws Exception {
        HttpResponse<String> refused = w1.post("/api/runs", "{}");

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(JsonPath.from(refused.body()).getString("detail")).contains("mlpipe.role=worker", "api process");
        assertThat(w1.json("/api/pipeline").getString("role")).isEqualTo("worker");
    }

    @Test
    void aProcessWhoseCapacityDisagreesWithTheBrokersQueueRefusesToStart() throws Exception {
        // the shared processes declared the queue with the default capacity
        ServiceProcess odd = ServiceProcess.start("scale-out-" + test + "-odd",
                settings(shared, "worker", "odd", "mlpipe.queue.capacity=5"));
        processes.add(odd);

        assertThat(odd.process().waitFor(60, TimeUnit.SECONDS)).as("it gives up").isTrue();
        assertThat(odd.process().exitValue()).isNotZero();
        assertThat(odd.log()).contains("already has a queue " + shared + ".items", "x-max-length 5",
                "mlpipe.queue.capacity");
    }

    @Test
    void aBrokerProcessWithoutCredentialsRefusesToStartNamingThem() throws Exception {
        // as an operator who forgot them: the broker profile in production, no rabbitmq-username or -password
        String prefix = ownPrefix();
        ServiceProcess bare = ServiceProcess.start("scale-out-" + test + "-no-credentials", "quarkus.profile=broker",
                "mlpipe.role=worker", "mlpipe.broker.items-queue=" + prefix + ".items",
                "mlpipe.broker.results-exchange=" + prefix + ".results", "rabbitmq-host=" + Rabbit.HOST,
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

    private static String newPrefix() {
        return "mlpipe-it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A queue and exchange for this test alone, deleted after it. */
    private String ownPrefix() {
        String prefix = newPrefix();
        prefixes.add(prefix);
        return prefix;
    }

    private static void deleteTopology(String prefix) throws IOException {
        try (Rabbit rabbit = Rabbit.connect()) {
            rabbit.delete(prefix + ".results", prefix + ".items", prefix + ".results.api",
                    prefix + ".results.api-outage");
        }
    }

    /** Starts the 300-item run on this api, and remembers it, to cancel it should the test end before it does. */
    private String startRun(ServiceProcess on) throws Exception {
        String id = on.startRun(RUN);
        if (on == api) {
            runs.add(id);
        }
        return id;
    }

    /** Starts the 300-item run on the shared api and returns its stream's outcome to come, once this many results are in. */
    private CompletableFuture<Outcome> startRunAndAwait(long processed) throws Exception {
        return startRunAndAwait(api, processed);
    }

    private CompletableFuture<Outcome> startRunAndAwait(ServiceProcess on, long processed) throws Exception {
        String id = startRun(on);
        CompletableFuture<Outcome> outcome = stream(on, id);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> on.json("/api/runs/" + id).getLong("counts.processed") >= processed);
        return outcome;
    }

    private static CompletableFuture<Outcome> stream(ServiceProcess api, String id) {
        SseClient client = SseClient.connect(URI.create(api.base() + "/api/runs/" + id + "/events"), Map.of());
        return CompletableFuture.supplyAsync(() -> {
            try (client) {
                List<SseClient.Event> events = client.untilEnd(Duration.ofSeconds(90));
                List<Long> seqs = events.stream().filter(e -> e.type().equals("result"))
                        .map(e -> JsonPath.from(e.data()).getLong("seq")).toList();
                return new Outcome(seqs, JsonPath.from(events.get(events.size() - 1).data()));
            }
        });
    }

    /** A second worker on the shared queue, for this test alone. */
    private ServiceProcess startWorker(String id) {
        return start(shared, "worker", id);
    }

    private ServiceProcess start(String prefix, String role, String id, String... more) {
        return launch(prefix, role, id, more).awaitReady();
    }

    /** Starts a process for this test alone, without waiting for it. */
    private ServiceProcess launch(String prefix, String role, String id, String... more) {
        ServiceProcess process = ServiceProcess.start("scale-out-" + test + "-" + id,
                settings(prefix, role, id, more));
        processes.add(process);
        return process;
    }

    private static String[] settings(String prefix, String role, String id, String... more) {
        List<String> all = new ArrayList<>(List.of("quarkus.profile=broker", "mlpipe.role=" + role,
                "mlpipe.instance-id=" + id, "mlpipe.broker.items-queue=" + prefix + ".items",
                "mlpipe.broker.results-exchange=" + prefix + ".results", "rabbitmq-host=" + Rabbit.HOST,
                "rabbitmq-port=" + Rabbit.PORT, "rabbitmq-username=guest", "rabbitmq-password=guest"));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
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
