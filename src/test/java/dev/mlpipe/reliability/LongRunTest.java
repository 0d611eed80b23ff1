package dev.mlpipe.reliability;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.start;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.mlpipe.support.SseClient;
import dev.mlpipe.support.RunSpecs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Promise 7: a run of a million items is kept whole with the default settings, in compact form (about 60 bytes a
 * result, within {@code mlpipe.stream.history-memory}), so the heap grows by tens of megabytes, not hundreds; a
 * client that arrives after the end gets every result, in order, then the end.
 */
@QuarkusTest
@Tag("slow")
public class LongRunTest {

    @Test
    void aMillionItemRunIsKeptWholeInBoundedMemoryAndALateClientGetsEveryResult() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();

        String id = start(RunSpecs.spec().draws(1_000_000).seed(2).inferenceMs(0).json());
        JsonPath end = awaitEnd(id);
        System.gc();
        long grown = memory.getHeapMemoryUsage().getUsed() - heapBefore;
        System.out.printf("LongRunTest: 1,000,000 items in %.1f s; heap grew by %d MB after GC, the run kept whole%n",
                end.getDouble("stats.elapsedMs") / 1000, grown >> 20);

        assertThat(end.getString("state")).isEqualTo("completed");
        assertThat(end.getLong("counts.processed")).isEqualTo(1_000_000);
        assertThat(grown).as("what the run still holds: its kept results and statistics").isLessThan(100L << 20);

        AtomicLong next = new AtomicLong(1);
        try (SseClient late = SseClient.connect("/api/runs/" + id + "/events")) {
            late.eachUntilEnd(Duration.ofSeconds(30), event -> {
                if (event.type().equals("result") || event.type().equals("end")) {
                    assertThat(event.id()).as("every event once, in order, none missing").isEqualTo(next.getAndIncrement());
                } else {
                    assertThat(event.type()).as("nothing is announced as lost").isNotEqualTo("gap");
                }
            });
        }
        assertThat(next.get() - 1).as("1,000,000 results and the end").isEqualTo(1_000_001);
    }
}
