package dev.mlpipe.v2;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * FP32 values as bytes, 4 a value, little-endian: the one codec for both the binary tensor data extension's FP32
 * tensors and the rows of a broker message ({@code queue.Float32Bytes}). Here, in the lowest layer, so that both can
 * call it.
 */
public final class Fp32Bytes {

    private Fp32Bytes() {
    }

    public static byte[] encode(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(values);
        return bytes.array();
    }

    /** The {@code length / 4} values in {@code bytes} from {@code offset}; the caller checks that 4 divides length. */
    public static float[] decode(byte[] bytes, int offset, int length) {
        float[] values = new float[length / Float.BYTES];
        ByteBuffer.wrap(bytes, offset, length).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }
}
