package dev.mlpipe.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Which outputs ONNX Runtime is asked to write into a call's own memory. */
class PinnedOutputTest {

    private static PinnedOutput of(List<Long> output) {
        return new PinnedOutput(new ModelInfo(new TensorSpec("x", Datatype.FP32, List.of(-1L, 4L)),
                new TensorSpec("y", Datatype.FP32, output), true, 4));
    }

    @Test
    void anOutputWhoseRowShapeIsDeclaredWholeIsPinned() {
        assertThat(of(List.of(-1L, 10L)).on()).isTrue();
        assertThat(of(List.of(-1L, 2L, 3L)).on()).isTrue();
    }

    @Test
    void anOutputWithAnOpenOrTooLargeRowIsLeftToOnnxRuntime() {
        assertThat(of(List.of(-1L, -1L)).on()).isFalse();
        assertThat(of(List.of(-1L, 1L << 16, 1L << 16)).on()).isFalse();
    }
}
