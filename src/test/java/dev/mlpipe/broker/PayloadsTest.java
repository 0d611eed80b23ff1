package dev.mlpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mlpipe.model.Result;
import dev.mlpipe.model.ResultBatch;
import dev.mlpipe.queue.Expired;
import dev.mlpipe.queue.Failed;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.TensorRow;
import io.vertx.core.json.Json;

/**
 * Messages' bodies are the bytes they were before {@link Payloads} (Vert.x's {@code Json.encode}), so an api and a
 * worker of either version read each other's, and what they read back is what was sent.
 */
class PayloadsTest {

    private static final String RUN = "0123456789ab";
    private static final Payloads PAYLOADS = TestPayloads.STRICT;

    private static byte[] before(Object payload) {
        return Json.encode(payload).getBytes(StandardCharsets.UTF_8);
    }

    private static Item item(long seq) {
        return Item.loaded(RUN, seq, (int) seq, 3, 2, 500, 1_000).enqueued(2_000, 4);
    }

    @Test
    void itemsAreWrittenAsBeforeAndReadBackWhole() {
        Item simulated = item(1);
        Item tensor = Item.loaded(RUN, 2, new TensorRow.Values(41, new float[] { 1f, -0.5f }, "3"), 2, 0, 1_000);
        ItemMessage several = new ItemMessage(List.of(item(3), item(4), item(5)));

        for (Object payload : List.of(simulated, tensor, several)) {
            assertThat(PAYLOADS.write(payload)).as("%s", payload).isEqualTo(before(payload));
        }
        assertThat(PAYLOADS.items(PAYLOADS.write(simulated))).containsExactly(simulated);
        assertThat(((TensorRow.Values) PAYLOADS.items(PAYLOADS.write(tensor)).get(0).tensor()).values())
                .containsExactly(1f, -0.5f);
        assertThat(PAYLOADS.items(PAYLOADS.write(several))).containsExactlyElementsOf(several.items());
        assertThat(PAYLOADS.items(before(several))).containsExactlyElementsOf(several.items());
    }

    @Test
    void resultsAreWrittenAsBeforeAndReadBackWhole() {
        Result result = new Result(RUN, 7, 7, "odd", 0.75, 4, 1_000, 2_000, 3_000, 3_100, 3_200, "w-1", 9, 1,
                new Result.TensorResult(41, "1", 1, new float[] { 0.5f }, new float[] { 0.1f, 0.9f }));
        Result simulated = new Result(RUN, 8, 8, "even", 0.5, 1, 1, 2, 3, 4, 5, "w-1", 10, 1);
        ResultBatch batch = new ResultBatch(List.of(result, simulated), List.of(new Expired(item(9), 6_000)),
                List.of(new Failed(item(10), 7_000, "the model failed")));

        byte[] body = PAYLOADS.write(batch);

        assertThat(body).isEqualTo(before(batch));
        ResultBatch back = PAYLOADS.results(body);
        assertThat(back.results()).extracting(Result::seq, Result::prediction, Result::worker)
                .containsExactly(tuple(7L, "odd", "w-1"),
                        tuple(8L, "even", "w-1"));
        assertThat(back.results().get(0).tensor().outputs()).containsExactly(0.1f, 0.9f);
        assertThat(back.expired()).containsExactly(new Expired(item(9), 6_000));
        assertThat(back.failed()).containsExactly(new Failed(item(10), 7_000, "the model failed"));
    }

    @Test
    void aBodyThatIsNotTheJsonAskedForIsRefusedWithJacksonsReason() {
        byte[] typo = new String(before(item(1)), StandardCharsets.UTF_8)
                .replace("\"seq\":1,", "\"seq\":1,\"sqe\":1,").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> PAYLOADS.items(typo)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sqe");
        assertThatThrownBy(() -> PAYLOADS.results("{\"results\": [".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PAYLOADS.results("null".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("got null");
        assertThat(BrokerIntake.read("{\"seq\": 1.5}".getBytes(StandardCharsets.UTF_8), PAYLOADS).rejection())
                .as("as strict as a request").startsWith("not an item (");
    }
}
