package dev.mlpipe.model.onnx;

import java.nio.FloatBuffer;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * A model's output pinned: ONNX Runtime writes it into the call's {@link InputBuffer}'s own direct memory, where its
 * rows are read; it would otherwise allocate an output tensor each call and copy it into a heap buffer it allocates
 * too. Only an FP32 output whose row shape the file declares whole can be; if ONNX Runtime refuses one (an output not
 * as declared), the model's calls go back to outputs as ONNX Runtime makes them, from then on.
 */
final class PinnedOutput {

    /** The numbers in one row of the output; 0 when it cannot be pinned. */
    private final int length;
    private volatile boolean on;

    PinnedOutput(ModelInfo info) {
        this.length = rowLength(info);
        this.on = length > 0;
    }

    private static int rowLength(ModelInfo info) {
        if (info.output().datatype() != Datatype.FP32) {
            return 0;
        }
        long length = 1;
        for (long dimension : info.outputRowShape()) {
            if (dimension <= 0 || (length *= dimension) > Integer.MAX_VALUE / Float.BYTES) {
                return 0;
            }
        }
        return (int) length;
    }

    /** Whether calls still pin the output. */
    boolean on() {
        return on;
    }

    /**
     * One call on the {@code count} rows in {@code buffer}, whose outcomes, read from the pinned output, it sets at
     * {@code outcomes[fit[k]]}.
     *
     * @return false, pinning off from now on, if ONNX Runtime refused the pinned output (nothing set)
     */
    boolean run(OrtSession session, InputBuffer buffer, Map<String, OnnxTensor> input, int[] fit, int count,
            RowOutcome[] outcomes) {
        try {
            session.run(input, buffer.pinnedOutput(count, length)).close(); // the result owns nothing: the output is the buffer's
        } catch (OrtException refused) {
            on = false;
            return false;
        }
        FloatBuffer values = buffer.outputValues();
        for (int k = 0; k < count; k++) {
            float[] row = new float[length];
            values.get(k * length, row);
            outcomes[fit[k]] = new RowOutcome.Output(row);
        }
        return true;
    }
}
