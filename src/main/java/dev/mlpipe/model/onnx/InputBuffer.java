package dev.mlpipe.model.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;

/**
 * A direct buffer for a call's input tensor (and one for a pinned output), reused from call to call, and the tensors
 * over it, one per number of rows, made once: ONNX Runtime reads and writes a direct buffer where it is (any other it
 * copies into a new one), so a tensor over it sees whatever the buffer holds when the session runs. Making and closing
 * a tensor every call cost a batch of one about as much as the model's own work (BENCHMARKS.md, real models). One
 * call at a time uses a buffer: each takes its own from the model's {@link Pool}.
 */
final class InputBuffer implements AutoCloseable {

    private final OrtEnvironment environment;
    private final ModelInfo info;
    /** How many numbers the buffer holds. */
    private final int numbers;
    private final int size; // bytes a number
    private final ByteBuffer bytes;
    private final FloatBuffer floats;
    private final LongBuffer longs;
    /** By number of rows: the session's input, a tensor over the buffer's first rows; null until first used. */
    private final Map<String, OnnxTensor>[] inputs;
    /** As {@link #inputs}, for a pinned output; its direct memory made on first use. */
    private final Map<String, OnnxTensor>[] outputs;
    private ByteBuffer outputBytes;

    @SuppressWarnings("unchecked")
    InputBuffer(OrtEnvironment environment, ModelInfo info, int numbers) {
        this.environment = environment;
        this.info = info;
        this.numbers = numbers;
        this.size = info.input().datatype() == Datatype.INT64 ? Long.BYTES : Float.BYTES;
        this.bytes = ByteBuffer.allocateDirect(numbers * size).order(ByteOrder.nativeOrder());
        this.floats = bytes.asFloatBuffer();
        this.longs = bytes.asLongBuffer();
        this.inputs = new Map[numbers / Math.max(1, info.rowLength()) + 1];
        this.outputs = new Map[inputs.length];
    }

    /**
     * Copies the rows {@code rows[fit[0..count)]}, {@link ModelInfo#rowLength()} numbers each, into the buffer (as
     * longs for an INT64 input) and gives the session's input over them.
     */
    Map<String, OnnxTensor> fill(List<float[]> rows, int[] fit, int count) throws OrtException {
        if (size == Float.BYTES) {
            floats.clear();
            for (int k = 0; k < count; k++) {
                floats.put(rows.get(fit[k]));
            }
        } else {
            longs.clear();
            for (int k = 0; k < count; k++) {
                for (float value : rows.get(fit[k])) {
                    longs.put((long) value);
                }
            }
        }
        Map<String, OnnxTensor> tensor = inputs[count];
        if (tensor == null) {
            ByteBuffer first = bytes.slice(0, count * info.rowLength() * size).order(ByteOrder.nativeOrder());
            long[] shape = info.shapeOf(count, info.rowShape());
            tensor = Map.of(info.input().name(), size == Long.BYTES
                    ? OnnxTensor.createTensor(environment, first.asLongBuffer(), shape)
                    : OnnxTensor.createTensor(environment, first.asFloatBuffer(), shape));
            inputs[count] = tensor;
        }
        return tensor;
    }

    /**
     * The output of a call on {@code rows} rows, {@code length} numbers each, pinned: the session's output tensor over
     * the memory {@link #outputValues} reads.
     */
    Map<String, OnnxTensor> pinnedOutput(int rows, int length) throws OrtException {
        if (outputBytes == null) {
            outputBytes = ByteBuffer.allocateDirect((inputs.length - 1) * length * Float.BYTES)
                    .order(ByteOrder.nativeOrder());
        }
        if (outputs[rows] == null) {
            ByteBuffer first = outputBytes.slice(0, rows * length * Float.BYTES).order(ByteOrder.nativeOrder());
            outputs[rows] = Map.of(info.output().name(), OnnxTensor.createTensor(environment, first.asFloatBuffer(),
                    info.shapeOf(rows, info.outputRowShape())));
        }
        return outputs[rows];
    }

    /** What the session wrote into the pinned output, from 0. */
    FloatBuffer outputValues() {
        return outputBytes.asFloatBuffer();
    }

    @Override
    public void close() {
        for (Map<String, OnnxTensor>[] tensors : List.of(inputs, outputs)) {
            for (Map<String, OnnxTensor> tensor : tensors) {
                if (tensor != null) {
                    tensor.values().forEach(OnnxTensor::close);
                }
            }
        }
    }

    /** A model's buffers: a call takes one of its own and gives it back, so calls on several threads share none. */
    static final class Pool implements AutoCloseable {

        private final OrtEnvironment environment;
        private final ModelInfo info;
        private final ConcurrentLinkedQueue<InputBuffer> free = new ConcurrentLinkedQueue<>();

        Pool(OrtEnvironment environment, ModelInfo info) {
            this.environment = environment;
            this.info = info;
        }

        /** A buffer of at least {@code numbers} numbers: a free one, or a new one twice the size of one outgrown. */
        InputBuffer take(int numbers) {
            InputBuffer buffer = free.poll();
            if (buffer == null || buffer.numbers < numbers) {
                int previous = buffer == null ? 0 : buffer.numbers;
                if (buffer != null) {
                    buffer.close(); // outgrown: a larger one takes its place
                }
                buffer = new InputBuffer(environment, info, Math.max(numbers, 2 * previous));
            }
            return buffer;
        }

        void give(InputBuffer buffer) {
            free.offer(buffer);
        }

        /** Closes the free buffers' tensors; call it once no call holds one. */
        @Override
        public void close() {
            for (InputBuffer buffer; (buffer = free.poll()) != null;) {
                buffer.close();
            }
        }
    }
}
