package dev.mlpipe.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.mlpipe.config.Priority;
import dev.mlpipe.queue.Item;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;

/**
 * A worker's reading of the messages on the items queue under Jazzer: any body, with the content type its first byte
 * picks, becomes the payload the RabbitMQ connector hands over (JSON decoded when it is JSON, else text or bytes), and
 * {@link BrokerIntake#read} must give an item without a flaw or a rejection, and never throw. Fuzzes only with
 * JAZZER_FUZZ set (the fuzz execution of the pom sets it), trying as many inputs as its @FuzzTest says.
 */
class ItemReaderFuzzTest {

    private static final AtomicLong INPUTS = new AtomicLong();
    private static final AtomicLong ITEMS = new AtomicLong();

    @AfterAll
    static void report() {
        System.out.printf("ItemReaderFuzzTest: %d inputs, %d of them an item and the rest rejected%n", INPUTS.get(),
                ITEMS.get());
    }

    @FuzzTest(maxExecutions = 20_000, maxDuration = "2h")
    @DictionaryEntries({ "\"runId\"", "\"seq\"", "\"value\"", "\"inferenceMs\"", "\"loadedUs\"", "\"enqueuedUs\"",
            "\"queueDepth\"", "\"priority\"", "\"deadlineMs\"", "3", "3600001", "\"0123456789ab\"", "null", "60000", "60001", "-1", "9223372036854775807", "2147483648",
            "1e400", "{", "}", "[", "]", ":", "," })
    void everyMessageIsAnItemOrARejection(byte[] message) {
        INPUTS.incrementAndGet();
        BrokerIntake.Reading reading = BrokerIntake.read(payload(message));
        assertThat(reading.item() == null).as("an item or a rejection: %s", reading).isNotEqualTo(reading.rejection() == null);
        if (reading.item() != null) {
            ITEMS.incrementAndGet();
            Item item = reading.item();
            assertThat(item.flaw()).isNull();
            assertThat(item.runId()).matches(Item.RUN_ID_PATTERN);
            assertThat(item.seq()).isPositive();
            assertThat(item.inferenceMs()).isBetween(0, Item.MAX_INFERENCE_MS);
            assertThat(item.priority()).isBetween(1, Priority.LEVELS);
            assertThat(item.deadlineMs()).isBetween(0, Item.MAX_DEADLINE_MS);
        } else {
            assertThat(reading.rejection()).isNotBlank();
        }
    }

    /** What the connector makes of a message body (IncomingRabbitMQMessage.convertPayload), by its content type. */
    private static Object payload(byte[] message) {
        if (message.length == 0) {
            return message;
        }
        byte[] body = Arrays.copyOfRange(message, 1, message.length);
        return switch (message[0] % 3) {
            case 0 -> new String(body, StandardCharsets.UTF_8); // text/plain
            case 1 -> { // application/json, and its bytes when it is not JSON
                try {
                    yield Buffer.buffer(body).toJson();
                } catch (DecodeException notJson) {
                    yield body;
                }
            }
            default -> body; // any other type, or none
        };
    }
}
