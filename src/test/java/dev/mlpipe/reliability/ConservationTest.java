package dev.mlpipe.reliability;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.cancel;
import static dev.mlpipe.support.Api.data;
import static dev.mlpipe.support.Api.run;
import static dev.mlpipe.support.Api.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Api;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Promise 1: the accounting of every run adds up, whatever its spec and whenever it is cancelled. A property checked
 * over random specs: random or listed values, delays, all three overflow policies, cancellation at random points, six
 * runs at a time so that they share the queue. The seed is printed; {@code -Dtest.property.seed=...} replays it.
 */
@QuarkusTest
@Tag("slow")
public class ConservationTest {

    private static final int RUNS = 60;
    private static final int AT_ONCE = 6;

    /** One generated case: its spec and, if it is to be cancelled, after how many processed items. */
    record Case(String spec, String overflow, List<Integer> items, int cancelAfter) {
    }

    static Case generate(Random random) {
        String overflow = List.of("block", "drop", "fail").get(random.nextInt(3));
        int inferenceMs = random.nextInt(4);
        int loadIntervalMs = random.nextInt(5) == 0 ? 1 : 0;
        int cancelAfter = random.nextInt(3) == 0 ? random.nextInt(15) : -1;
        RunSpecs spec = RunSpecs.spec().overflow(overflow).inferenceMs(inferenceMs).loadIntervalMs(loadIntervalMs);
        List<Integer> items = null;
        if (random.nextBoolean()) {
            items = IntStream.range(0, 20 + random.nextInt(180)).mapToObj(i -> 1 + random.nextInt(100)).toList();
            spec.items(items);
        } else {
            spec.seed(random.nextInt(1_000_000)).maxItems(50 + random.nextInt(300));
        }
        return new Case(spec.json(), overflow, items, cancelAfter);
    }

    @Test
    void loadedAlwaysEqualsProcessedPlusDroppedPlusCancelledAndEachResultIsStreamedOnce() {
        long seed = Long.getLong("test.property.seed", System.nanoTime());
        System.out.println("ConservationTest seed: " + seed + " (replay with -Dtest.property.seed=" + seed + ")");
        Random random = new Random(seed);
        List<Case> cases = IntStream.range(0, RUNS).mapToObj(i -> generate(random)).toList();

        // threads of its own: the common pool has a single thread on two cores, and the runs would go one by one. Six
        // threads keep six runs going at all times: a thread takes the next case as soon as its run has ended, rather
        // than six runs waiting for the slowest of them before the next six start
        ExecutorService threads = Executors.newFixedThreadPool(AT_ONCE);
        try {
            List<CompletableFuture<Void>> all = cases.stream()
                    .map(c -> CompletableFuture.runAsync(() -> check(c, seed), threads))
                    .toList();
            all.forEach(CompletableFuture::join);
        } finally {
            threads.shutdownNow();
        }
        // every place a loader took came back: a cancel racing a freed place once shrank the queue for good
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Api.pipeline().getInt("depth"))
                .as("queue depth once all runs have ended (seed %d)", seed).isZero());
    }

    private static void check(Case c, long seed) {
        String id = start(c.spec());
        List<SseClient.Event> events;
        try (SseClient client = SseClient.connect("/api/runs/" + id + "/events")) {
            if (c.cancelAfter() >= 0) {
                await().atMost(Duration.ofSeconds(30)).until(() -> run(id).getLong("counts.processed") >= c.cancelAfter()
                        || !"running".equals(run(id).getString("state")));
                cancel(id);
            }
            events = client.untilEnd(Duration.ofSeconds(30));
        }
        JsonPath end = awaitEnd(id);
        String why = "seed " + seed + ", spec " + c.spec() + ", run " + id;

        long loaded = end.getLong("counts.loaded");
        long processed = end.getLong("counts.processed");
        long dropped = end.getLong("counts.dropped");
        long cancelled = end.getLong("counts.cancelled");
        assertThat(loaded).as(why).isEqualTo(processed + dropped + cancelled);
        assertThat(data(events.get(events.size() - 1)).getLong("counts.processed")).as(why).isEqualTo(processed);

        List<SseClient.Event> results = events.stream().filter(e -> e.type().equals("result")).toList();
        List<Long> seqs = results.stream().map(e -> data(e).getLong("seq")).toList();
        assertThat(seqs).as(why + ": each processed item exactly once, in load order")
                .hasSize((int) processed).doesNotHaveDuplicates().isSorted()
                .allSatisfy(seq -> assertThat(seq).isBetween(1L, loaded));
        assertThat(results).allSatisfy(e -> assertThat(e.id()).isEqualTo(data(e).getLong("seq")));

        String state = end.getString("state");
        if (c.overflow().equals("block")) {
            assertThat(dropped).as(why + ": block never drops").isZero();
        }
        if (c.overflow().equals("fail") && state.equals("failed")) {
            assertThat(dropped).as(why + ": fail stops at the first item that does not fit").isEqualTo(1);
        }
        if (state.equals("completed")) {
            assertThat(cancelled).as(why).isZero();
        }
        if (c.items() != null) {
            List<Integer> values = results.stream().map(e -> data(e).getInt("value")).toList();
            List<Integer> loadedValues = new ArrayList<>(c.items().subList(0, (int) loaded));
            List<Integer> expected = seqs.stream().map(seq -> loadedValues.get((int) (seq - 1)))
                    .collect(Collectors.toList());
            assertThat(values).as(why + ": each result is the item with its seq").isEqualTo(expected);
        }
    }
}
