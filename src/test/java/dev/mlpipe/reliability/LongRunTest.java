package dev.mlpipe.reliability;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.data;
import static dev.mlpipe.support.Api.start;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Api;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Promise 7: a run of a million items completes with flat memory, because a run keeps only its newest
 * {@code mlpipe.stream.history} events. A client that arrives after the start is gone gets a {@code gap} event saying
 * which events are no longer kept, then the kept ones and the end.
 */
@QuarkusTest
@Tag("slow")
public class LongRunTest {

    @Test
    void aMillionItemRunCompletesInBoundedMemoryAndALateClientIsToldWhatIsNoLongerKept() {
        int history = Api.pipeline().getInt("history");
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();

        String id = start("{\"min\":1,\"max\":2000000000,\"sentinel\":1,\"seed\":2,\"maxItems\":1000000,\"inferenceMs\":0}");
        JsonPath end = awaitEnd(id);
        System.gc();
        long grown = memory.getHeapMemoryUsage().getUsed() - heapBefore;
        System.out.printf("LongRunTest: 1,000,000 items in %.1f s; heap grew by %d MB after GC%n",
                end.getDouble("stats.elapsedMs") / 1000, grown >> 20);

        assertThat(end.getString("state")).isEqualTo("completed");
        assertThat(end.getLong("counts.processed")).isEqualTo(1_000_000);
        assertThat(grown).as("what the run still holds: its kept events and statistics").isLessThan(64L << 20);

        try (SseClient late = SseClient.connect("/api/runs/" + id + "/events")) {
            List<SseClient.Event> events = late.untilEnd(Duration.ofSeconds(30));
            long firstKept = 1_000_001 - history + 1;
            assertThat(events.get(0).type()).isEqualTo("gap");
            assertThat(data(events.get(0)).getLong("firstMissed")).isEqualTo(1);
            assertThat(data(events.get(0)).getLong("lastMissed")).isEqualTo(firstKept - 1);
            assertThat(data(events.get(0)).getString("message")).contains("no longer kept");
            assertThat(events.subList(1, events.size()).stream().map(SseClient.Event::id))
                    .containsExactlyElementsOf(LongStream.rangeClosed(firstKept, 1_000_001).boxed().toList());
        }
    }
}
