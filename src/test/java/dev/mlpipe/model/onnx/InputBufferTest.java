package dev.mlpipe.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

/** The reused direct memory a call feeds ONNX Runtime from and reads a pinned output in, and its pool. */
class InputBufferTest {

    private static final OrtEnvironment ORT = OrtEnvironment.getEnvironment();
    private static final ModelInfo FP32 = new ModelInfo(new TensorSpec("x", Datatype.FP32, List.of(-1L, 3L)),
            new TensorSpec("y", Datatype.FP32, List.of(-1L, 2L)), true, 3);
    private static final List<float[]> ROWS = List.of(new float[] { 1, 2, 3 }, new float[] { 4, 5, 6 },
            new float[] { 7, 8, 9 });

    @Test
    void theInputIsTheChosenRowsInOneTensorMadeOnceForItsNumberOfRows() throws OrtException {
        try (InputBuffer buffer = new InputBuffer(ORT, FP32, 9)) {
            OnnxTensor first = buffer.fill(ROWS, new int[] { 0, 2 }, 2).get("x");

            assertThat(first.getInfo().getShape()).containsExactly(2, 3);
            assertThat(values(first.getFloatBuffer())).containsExactly(1, 2, 3, 7, 8, 9);

            OnnxTensor again = buffer.fill(List.of(new float[] { 0, 0, 1 }, new float[] { 0, 1, 0 }), new int[] { 1, 0 }, 2)
                    .get("x");

            assertThat(again).as("the same tensor, over the refilled buffer").isSameAs(first);
            assertThat(values(again.getFloatBuffer())).containsExactly(0, 1, 0, 0, 0, 1);
            assertThat(buffer.fill(ROWS, new int[] { 1 }, 1).get("x").getInfo().getShape()).containsExactly(1, 3);
        }
    }

    @Test
    void anInt64InputGetsTheRowsAsLongs() throws OrtException {
        ModelInfo int64 = new ModelInfo(new TensorSpec("ids", Datatype.INT64, List.of(-1L, 3L)),
                new TensorSpec("sum", Datatype.FP32, List.of(-1L, 1L)), true, 3);
        try (InputBuffer buffer = new InputBuffer(ORT, int64, 6)) {
            LongBuffer longs = buffer.fill(ROWS, new int[] { 1, 0 }, 2).get("ids").getLongBuffer();

            long[] values = new long[longs.remaining()];
            longs.get(values);
            assertThat(values).containsExactly(4, 5, 6, 1, 2, 3);
        }
    }

    @Test
    void aPinnedOutputIsReadWhereTheTensorHasIt() throws OrtException {
        try (InputBuffer buffer = new InputBuffer(ORT, FP32, 9)) {
            Map<String, OnnxTensor> output = buffer.pinnedOutput(2, 2);
            buffer.outputValues().put(new float[] { 0.5f, 1.5f, 2.5f, 3.5f });

            assertThat(output.get("y").getInfo().getShape()).containsExactly(2, 2);
            assertThat(values(output.get("y").getFloatBuffer())).containsExactly(0.5f, 1.5f, 2.5f, 3.5f);
            assertThat(buffer.pinnedOutput(2, 2)).as("made once for two rows").isSameAs(output);
        }
    }

    @Test
    void thePoolLendsEachCallABufferOfItsOwnAndReusesThoseGivenBack() {
        try (InputBuffer.Pool pool = new InputBuffer.Pool(ORT, FP32)) {
            InputBuffer one = pool.take(6);
            InputBuffer other = pool.take(6);
            assertThat(other).as("one call's buffer is not another's").isNotSameAs(one);

            pool.give(one);
            assertThat(pool.take(3)).as("given back, lent again").isSameAs(one);

            pool.give(one);
            InputBuffer larger = pool.take(12);
            assertThat(larger).as("outgrown, replaced").isNotSameAs(one);
            pool.give(larger);
            assertThat(pool.take(12)).isSameAs(larger);
            pool.give(larger);
            pool.give(other);
        }
    }

    private static float[] values(FloatBuffer buffer) {
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }
}
