package dev.mlpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.mlpipe.config.PipelineSettings;
import dev.mlpipe.config.Priority;
import dev.mlpipe.queue.Item;
import dev.mlpipe.support.FuzzFindings;
import dev.mlpipe.support.LowPriority;

/**
 * A worker's reading of the messages on the items queue under Jazzer: any body, as {@link BrokerConsumer} hands it
 * over (its bytes), and {@link BrokerIntake#read} must give one item or several without a flaw, or a rejection, and
 * never throw. Fuzzes only with
 * JAZZER_FUZZ set (the pom sets it for ./mvnw verify), trying {@code -Dmlpipe.fuzz.runs} inputs.
 */
@ExtendWith({ FuzzFindings.class, LowPriority.class })
class ItemReaderFuzzTest {

    private static final AtomicLong INPUTS = new AtomicLong();
    private static final AtomicLong ITEMS = new AtomicLong();

    @AfterAll
    static void report() {
        System.out.printf("ItemReaderFuzzTest: %d inputs, %d of them an item and the rest rejected%n", INPUTS.get(),
                ITEMS.get());
        // the seeds include an item: a run where none was means the checks on what is accepted never ran
        assertThat(ITEMS.get()).as("inputs that were an item").isPositive();
    }

    @FuzzTest(maxDuration = "2h")
    @DictionaryEntries({ "\"runId\"", "\"seq\"", "\"value\"", "\"inferenceMs\"", "\"loadedUs\"", "\"enqueuedUs\"",
            "\"queueDepth\"", "\"priority\"", "\"deadlineMs\"", "3", "3600001", "\"0123456789ab\"", "null", "60000", "60001", "-1", "9223372036854775807", "2147483648",
            "1e400", "{", "}", "[", "]", ":", "," })
    void everyMessageIsAnItemOrARejection(byte[] message) {
        INPUTS.incrementAndGet();
        BrokerIntake.Reading reading = BrokerIntake.read(message, TestPayloads.STRICT);
        assertThat(reading.items() == null).as("an item or a rejection: %s", reading).isNotEqualTo(reading.rejection() == null);
        if (reading.items() != null) {
            ITEMS.incrementAndGet();
            assertThat(reading.items()).hasSizeBetween(1, PipelineSettings.MAX_CHUNK);
            for (Item item : reading.items()) {
                assertThat(item.flaw()).isNull();
                assertThat(item.runId()).matches(Item.RUN_ID_PATTERN);
                assertThat(item.seq()).isPositive();
                assertThat(item.inferenceMs()).isBetween(0, Item.MAX_INFERENCE_MS);
                assertThat(item.priority()).isBetween(1, Priority.LEVELS);
                assertThat(item.deadlineMs()).isBetween(0, Item.MAX_DEADLINE_MS);
            }
        } else {
            assertThat(reading.rejection()).isNotBlank();
        }
    }
}
