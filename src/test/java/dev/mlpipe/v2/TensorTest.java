package dev.mlpipe.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Tensors as the server and the client backend build them: checked, split into rows and joined again. */
class TensorTest {

    @Test
    void aTensorsDataMustBeItsDatatypesKindAndAsLongAsItsShapeSays() {
        assertThatThrownBy(() -> new Tensor("x", Datatype.FP32, new long[] { 2 }, new TensorData.Fp64s(new double[2])))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("x: FP32 is not kept in Fp64s");
        assertThatThrownBy(() -> Tensor.fp32("x", new long[] { 2, 2 }, 1, 2, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("x: shape [2, 2] has 4 elements, the data 3");
    }

    @Test
    void aTensorKeepsItsOwnShape() {
        long[] shape = { 1, 2 };
        Tensor tensor = Tensor.int64("x", shape, 1, 2);

        shape[0] = 99;
        tensor.shape()[1] = 99;

        assertThat(tensor.shape()).containsExactly(1, 2);
    }

    @Test
    void rowsAreCutAlongTheFirstDimensionAndJoinedBackToTheSameTensor() {
        Tensor batch = Tensor.fp32("p", new long[] { 3, 2 }, 1, 2, 3, 4, 5, 6);

        Tensor first = batch.rows(0, 1);
        Tensor rest = batch.rows(1, 3);

        assertThat(first).isEqualTo(Tensor.fp32("p", new long[] { 1, 2 }, 1, 2));
        assertThat(rest).isEqualTo(Tensor.fp32("p", new long[] { 2, 2 }, 3, 4, 5, 6));
        assertThat(Tensor.concatRows(List.of(first, rest))).isEqualTo(batch);
        Tensor strings = Tensor.strings("s", new long[] { 2 }, "a", "b");
        assertThat(Tensor.concatRows(List.of(strings.rows(1, 2), strings.rows(0, 1))))
                .isEqualTo(Tensor.strings("s", new long[] { 2 }, "b", "a"));
    }

    @Test
    void tensorsOfAnotherRowShapeOrDatatypeDoNotJoin() {
        assertThatThrownBy(() -> Tensor.concatRows(List.of(Tensor.fp32("a", new long[] { 1, 2 }, 1, 2),
                Tensor.fp32("b", new long[] { 1, 3 }, 1, 2, 3)))).hasMessage("b FP32 [1, 3] does not join FP32 [1, 2]");
        assertThatThrownBy(() -> Tensor.concatRows(List.of(Tensor.fp32("a", new long[] { 1 }, 1),
                Tensor.int64("b", new long[] { 1 }, 1)))).hasMessage("b INT64 [1] does not join FP32 [1]");
        assertThatThrownBy(() -> Tensor.fp32("a", new long[] { 2 }, 1, 2).rows(1, 3))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
