package dev.mlpipe.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** A request checked against a model's metadata before it runs, as the v2 server will check it. */
class ModelMetadataTest {

    private static final ModelMetadata DIGITS = new ModelMetadata("digits", List.of("1"), "onnx_onnxv1",
            List.of(new ModelMetadata.TensorMetadata("input", Datatype.FP32, List.of(-1L, 64L))),
            List.of(new ModelMetadata.TensorMetadata("probabilities", Datatype.FP32, List.of(-1L, 10L))));

    @Test
    void aRequestThatFitsHoldsAsManyRowsAsItsBatchDimensionSays() {
        assertThat(DIGITS.rowsOf(request(Tensor.fp32("input", new long[] { 3, 64 }, new float[192])))).isEqualTo(3);
        assertThat(DIGITS.rowsOf(request(Tensor.fp32("input", new long[] { 0, 64 })))).isZero();
    }

    @Test
    void aModelWithoutABatchDimensionTakesOneRowARequest() {
        ModelMetadata noBatch = new ModelMetadata("no-batch", List.of(), "onnx_onnxv1",
                List.of(new ModelMetadata.TensorMetadata("x", Datatype.FP32, List.of(3L))), List.of());

        assertThat(noBatch.rowsOf(request(Tensor.fp32("x", new long[] { 3 }, 1, 2, 3)))).isEqualTo(1);
    }

    @Test
    void everyMismatchIsRefusedNamingTheInputOrOutput() {
        assertThatThrownBy(() -> DIGITS.rowsOf(request(Tensor.fp32("input", new long[] { 1, 63 }, new float[63]))))
                .hasMessage("input 'input' is FP32 [1, 63]; model 'digits' takes FP32 [-1, 64]");
        assertThatThrownBy(() -> DIGITS.rowsOf(request(Tensor.fp64("input", new long[] { 1, 64 }, new double[64]))))
                .hasMessage("input 'input' is FP64 [1, 64]; model 'digits' takes FP32 [-1, 64]");
        assertThatThrownBy(() -> DIGITS.rowsOf(request(Tensor.fp32("image", new long[] { 1, 64 }, new float[64]))))
                .hasMessage("unexpected input 'image' for model 'digits' (its inputs: input)");
        assertThatThrownBy(() -> DIGITS.rowsOf(new InferRequest(List.of())))
                .hasMessage("model 'digits' needs input 'input'");
        assertThatThrownBy(() -> DIGITS.rowsOf(new InferRequest(null, null,
                List.of(Tensor.fp32("input", new long[] { 1, 64 }, new float[64])),
                List.of(new InferRequest.RequestedOutput("logits")))))
                .hasMessage("unknown output 'logits' for model 'digits' (its outputs: probabilities)");
        assertThatThrownBy(() -> DIGITS.rowsOf(new InferRequest(null, null,
                List.of(Tensor.fp32("input", new long[] { 1, 64 }, new float[64])),
                List.of(new InferRequest.RequestedOutput("probabilities"), new InferRequest.RequestedOutput("probabilities")))))
                .hasMessage("output 'probabilities' is asked for twice");
    }

    @Test
    void inputsThatDisagreeOnTheBatchSizeAreRefused() {
        ModelMetadata two = new ModelMetadata("two", List.of(), "onnx_onnxv1",
                List.of(new ModelMetadata.TensorMetadata("a", Datatype.INT64, List.of(-1L, 1L)),
                        new ModelMetadata.TensorMetadata("b", Datatype.INT64, List.of(-1L, 1L))),
                List.of());

        assertThatThrownBy(() -> two.rowsOf(new InferRequest(List.of(Tensor.int64("a", new long[] { 2, 1 }, 1, 2),
                Tensor.int64("b", new long[] { 1, 1 }, 1)))))
                .hasMessage("the inputs disagree on the batch size: input 'b' has 1 rows, the one before it 2");
    }

    private static InferRequest request(Tensor input) {
        return new InferRequest(List.of(input));
    }
}
