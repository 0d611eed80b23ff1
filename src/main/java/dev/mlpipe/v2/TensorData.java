package dev.mlpipe.v2;

import java.lang.reflect.Array;

/**
 * A tensor's elements, row-major, in the primitive array of their width: one kind per Java type, shared by the
 * datatypes of that width ({@link Datatype#holds}). Unsigned types keep their bits (UINT32 4294967295 is the int -1),
 * FP16 its IEEE 754 half-precision bits, BYTES each element's bytes (a JSON string as UTF-8). A kind compares by
 * identity; {@link Tensor} compares its data by content.
 */
public sealed interface TensorData {

    /** The elements' array ({@code boolean[]}, ..., {@code byte[][]}), shared, not copied. */
    Object values();

    /** The number of elements. */
    default int length() {
        return Array.getLength(values());
    }

    /** Elements {@code from} (inclusive) to {@code to} (exclusive), copied. */
    default TensorData slice(int from, int to) {
        Object copy = Array.newInstance(values().getClass().getComponentType(), to - from);
        System.arraycopy(values(), from, copy, 0, to - from);
        return of(copy);
    }

    /** The kind that holds {@code array}, which it wraps without copying. */
    static TensorData of(Object array) {
        if (array instanceof boolean[] values) {
            return new Bools(values);
        } else if (array instanceof byte[] values) {
            return new Int8s(values);
        } else if (array instanceof short[] values) {
            return new Int16s(values);
        } else if (array instanceof int[] values) {
            return new Int32s(values);
        } else if (array instanceof long[] values) {
            return new Int64s(values);
        } else if (array instanceof float[] values) {
            return new Fp32s(values);
        } else if (array instanceof double[] values) {
            return new Fp64s(values);
        } else if (array instanceof byte[][] values) {
            return new ByteStrings(values);
        }
        throw new IllegalArgumentException("no tensor data is a " + array.getClass().getSimpleName());
    }

    /** BOOL. */
    record Bools(boolean[] values) implements TensorData {
    }

    /** INT8, UINT8. */
    record Int8s(byte[] values) implements TensorData {
    }

    /** INT16, UINT16, FP16 (its bits). */
    record Int16s(short[] values) implements TensorData {
    }

    /** INT32, UINT32. */
    record Int32s(int[] values) implements TensorData {
    }

    /** INT64, UINT64. */
    record Int64s(long[] values) implements TensorData {
    }

    /** FP32. */
    record Fp32s(float[] values) implements TensorData {
    }

    /** FP64. */
    record Fp64s(double[] values) implements TensorData {
    }

    /** BYTES: each element's bytes. */
    record ByteStrings(byte[][] values) implements TensorData {
    }
}
