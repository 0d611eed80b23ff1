package dev.mlpipe.reliability;

import static dev.mlpipe.support.Api.data;
import static dev.mlpipe.support.Api.start;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Promise 2: 50 runs at once, 10 event-stream clients on each (500 streams), loaders unpaced, inference 0 to 5 ms.
 * Every run ends, every client of a run receives the same complete sequence, and the service answers
 * {@code GET /api/pipeline} all along. Prints what it measured.
 */
@QuarkusTest
@Tag("slow")
public class ManyAtOnceTest {

    private static final int RUNS = 50;
    private static final int CLIENTS = 10;

    @Test
    void fiftyRunsWithTenClientsEachAllEndAndEveryClientSeesItsRunWhole() throws Exception {
        Random random = new Random(50);
        List<String> ids = IntStream.range(0, RUNS)
                .mapToObj(i -> start(RunSpecs.spec().seed(random.nextInt(1_000_000)).inferenceMs(random.nextInt(6))
                        .maxItems(400).json()))
                .toList();
        ExecutorService pool = Executors.newFixedThreadPool(RUNS * CLIENTS);
        AtomicBoolean loading = new AtomicBoolean(true);
        List<Long> pipelineMillis = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        long began = System.nanoTime();
        try {
            List<List<CompletableFuture<List<SseClient.Event>>>> streams = ids.stream()
                    .map(id -> IntStream.range(0, CLIENTS)
                            .mapToObj(c -> CompletableFuture.supplyAsync(() -> kept(id), pool)).toList())
                    .toList();
            CompletableFuture<Void> probe = CompletableFuture.runAsync(() -> {
                while (loading.get()) {
                    long start = System.nanoTime();
                    HttpResponse<String> answer = http.sendAsync(
                            HttpRequest.newBuilder(SseClient.uri("/api/pipeline")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString()).join();
                    assertThat(answer.statusCode()).isEqualTo(200);
                    synchronized (pipelineMillis) {
                        pipelineMillis.add((System.nanoTime() - start) / 1_000_000);
                    }
                }
            });

            long events = 0;
            for (int r = 0; r < RUNS; r++) {
                // the end event, not GET: with 50 runs, the oldest finished ones may be evicted (mlpipe.runs.retained)
                List<SseClient.Event> first = streams.get(r).get(0).join();
                JsonPath end = data(first.get(first.size() - 1));
                long loaded = end.getLong("counts.loaded");
                assertThat(end.getString("state")).isEqualTo("completed");
                assertThat(end.getLong("counts.processed")).isEqualTo(loaded);
                assertThat(first.stream().filter(e -> e.type().equals("result")).map(SseClient.Event::id))
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, loaded).boxed().toList());
                for (CompletableFuture<List<SseClient.Event>> other : streams.get(r)) {
                    assertThat(other.join()).as("client of run %s", ids.get(r)).isEqualTo(first);
                    events += first.size();
                }
            }
            loading.set(false);
            probe.join();
            double seconds = (System.nanoTime() - began) / 1e9;
            synchronized (pipelineMillis) {
                assertThat(pipelineMillis).isNotEmpty();
                System.out.printf("ManyAtOnceTest: %d runs x %d clients, %d events delivered in %.1f s;"
                        + " GET /api/pipeline answered %d times during the load, slowest %d ms%n",
                        RUNS, CLIENTS, events, seconds, pipelineMillis.size(),
                        pipelineMillis.stream().mapToLong(Long::longValue).max().orElse(0));
            }
            given().get("/api/pipeline").then().statusCode(200);
        } finally {
            loading.set(false);
            pool.shutdownNow();
        }
    }

    /** A client's whole stream without the live stats, which two clients need not see alike. */
    private static List<SseClient.Event> kept(String id) {
        try (SseClient client = SseClient.connect("/api/runs/" + id + "/events")) {
            return client.untilEnd(Duration.ofSeconds(60)).stream().filter(e -> !e.type().equals("stats")).toList();
        }
    }
}
