package dev.mlpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.mlpipe.config.PipelineSettings;
import dev.mlpipe.queue.Item;
import io.vertx.core.json.Json;

/** A message of several items is a JSON array of them, one item alone its JSON object; a worker reads both. */
class ItemMessageTest {

    private static final String RUN = "0123456789ab";

    private static List<Item> items(int n) {
        return LongStream.rangeClosed(1, n).mapToObj(seq -> Item.loaded(RUN, seq, (int) seq, 0, 1).enqueued(2, 3))
                .toList();
    }

    private static byte[] body(Object payload) {
        return Json.encode(payload).getBytes(StandardCharsets.UTF_8);
    }

    /** As a worker reads a message's body. */
    private static BrokerIntake.Reading read(byte[] body) {
        return BrokerIntake.read(body, TestPayloads.STRICT);
    }

    @Test
    void severalItemsTravelAsAJsonArrayAndArriveInTheirOrder() {
        List<Item> sent = items(32);

        byte[] body = body(ItemMessage.of(sent));

        assertThat(new String(body, StandardCharsets.UTF_8)).startsWith("[{\"runId\":\"" + RUN + "\",\"seq\":1,");
        assertThat(read(body).items()).containsExactlyElementsOf(sent);
    }

    @Test
    void oneItemAloneTravelsAsItsObjectAsBefore() {
        Item sent = items(1).get(0);

        byte[] body = body(ItemMessage.of(List.of(sent)));

        assertThat(body).isEqualTo(body(sent));
        assertThat(read(body).items()).containsExactly(sent);
    }

    @Test
    void aMessageWithOneItemNoRunCouldHaveMadeIsRejectedWhole() {
        String good = Json.encode(items(1).get(0));
        String flawed = good.replace("\"seq\":1", "\"seq\":-1");

        assertThat(read(("[" + good + "," + flawed + "]").getBytes(StandardCharsets.UTF_8)).rejection())
                .contains("item 2 of the message", "seq must be at least 1");
        assertThat(read(("[" + good + ",null]").getBytes(StandardCharsets.UTF_8)).rejection())
                .contains("item 2 of the message", "null");
        assertThat(read(" []".getBytes(StandardCharsets.UTF_8)).rejection()).contains("1 to 64 items");
        assertThat(read(body(new ItemMessage(items(PipelineSettings.MAX_CHUNK + 1)))).rejection())
                .as("more than a loader's chunk").contains("not 65");
    }
}
