package dev.mlpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mlpipe.model.Result;
import dev.mlpipe.model.ResultBatch;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.TensorRow;
import io.vertx.core.json.Json;

/** A tensor model's items and results cross the broker whole: their rows as float32 bytes, exactly as they were. */
class TensorPayloadsTest {

    private static final String RUN = "0000000000ab";
    private static final float[] ROW = { 0f, 1.5f, -3.25e-7f, Float.MAX_VALUE, 16f, 0.1f };

    private static byte[] body(Object payload) {
        return Json.encode(payload).getBytes(StandardCharsets.UTF_8); // as BrokerPublisher writes it
    }

    /** As a worker reads a message's body. */
    private static BrokerIntake.Reading read(byte[] body) {
        return BrokerIntake.read(body, TestPayloads.STRICT);
    }

    @Test
    void anItemArrivesWithItsRowAndLabelExactly() {
        Item sent = Item.loaded(RUN, 7, new TensorRow.Values(41, ROW, "3"), 2, 0, 1_000).enqueued(2_000, 4);

        BrokerIntake.Reading reading = read(body(sent));

        assertThat(reading.rejection()).isNull();
        TensorRow.Values row = (TensorRow.Values) reading.items().get(0).tensor();
        assertThat(row.row()).isEqualTo(41);
        assertThat(row.label()).isEqualTo("3");
        assertThat(row.values()).containsExactly(ROW);
        assertThat(reading.items().get(0).seq()).isEqualTo(7);
        assertThat(reading.items().get(0).queueDepth()).isEqualTo(4);
    }

    @Test
    void aRowTheDatasetCouldNotReadArrivesWithItsReason() {
        Item sent = Item.loaded(RUN, 8, new TensorRow.Unreadable(51, "line 52, f10: not a number"), 3, 0, 1_000);

        TensorRow row = read(body(sent)).items().get(0).tensor();

        assertThat(row).isEqualTo(new TensorRow.Unreadable(51, "line 52, f10: not a number"));
    }

    @Test
    void theRowIsBase64OfLittleEndianFloatsAndASimulatedItemHasNone() {
        String json = Json.encode(Item.loaded(RUN, 1, new TensorRow.Values(0, new float[] { 1f }, null), 3, 0, 1));
        assertThat(json).contains("\"kind\":\"values\"", "\"values\":\"AACAPw==\""); // 1.0f: 00 00 80 3f
        assertThat(Json.encode(Item.loaded(RUN, 1, 5, 0, 1))).doesNotContain("tensor");
    }

    @Test
    void aResultComesBackWithItsPredictionInputAndOutputs() {
        float[] outputs = { 0.01f, 0.97f, 0.02f };
        Result sent = new Result(RUN, 7, 0, "1", 0.97, 4, 1_000, 2_000, 3_000, 3_100, 3_200, "w-1", 9, 32,
                new Result.TensorResult(41, "1", 1, ROW, outputs));

        ResultBatch back = TestPayloads.STRICT.results(body(new ResultBatch(List.of(sent))));

        Result result = back.results().get(0);
        assertThat(result.prediction()).isEqualTo("1");
        assertThat(result.score()).isEqualTo(0.97);
        assertThat(result.tensor().row()).isEqualTo(41);
        assertThat(result.tensor().label()).isEqualTo("1");
        assertThat(result.tensor().predictedClass()).isEqualTo(1);
        assertThat(result.tensor().input()).containsExactly(ROW);
        assertThat(result.tensor().outputs()).containsExactly(outputs);
    }

    @Test
    void anItemWhoseRowHasNoValuesOrAByteTooManyIsRejected() {
        // every field of an item but its row's: a missing number is refused before its flaw is looked for
        String item = "{\"runId\":\"" + RUN + "\",\"seq\":1,\"value\":0,\"inferenceMs\":0,\"priority\":3,"
                + "\"deadlineMs\":0,\"loadedUs\":0,\"enqueuedUs\":0,\"queueDepth\":0,";
        String noValues = item + "\"tensor\":{\"kind\":\"values\",\"row\":0}}";
        String oddBytes = item + "\"tensor\":{\"kind\":\"values\",\"row\":0,\"values\":\"AACAPwA=\"}}";

        assertThat(read(noValues.getBytes(StandardCharsets.UTF_8)).rejection()).contains("tensor.values");
        assertThat(read(oddBytes.getBytes(StandardCharsets.UTF_8)).rejection()).contains("multiple of 4");
    }
}
