package dev.mlpipe.v2;

import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A tensor's elements, row-major, in the primitive array of their width: one kind per Java type, shared by the
 * datatypes of that width ({@link Datatype#holds}). Unsigned types keep their bits (UINT32 4294967295 is the int -1),
 * FP16 its IEEE 754 half-precision bits, BYTES each element's bytes (a JSON string as UTF-8).
 */
public sealed interface TensorData {

    /** The number of elements. */
    int length();

    /** The backing array ({@code boolean[]}, ..., {@code byte[][]}), shared, not copied. */
    Object array();

    /** Elements {@code from} (inclusive) to {@code to} (exclusive), copied. */
    default TensorData slice(int from, int to) {
        Object copy = Array.newInstance(array().getClass().getComponentType(), to - from);
        System.arraycopy(array(), from, copy, 0, to - from);
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
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public Object array() {
            return values;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Bools that && Arrays.equals(values, that.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }

    /** INT8, UINT8. */
    record Int8s(byte[] values) implements TensorData {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public Object array() {
            return values;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Int8s that && Arrays.equals(values, that.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }

    /** INT16, UINT16, FP16 (its bits). */
    record Int16s(short[] values) implements TensorData {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public Object array() {
            return values;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Int16s that && Arrays.equals(values, that.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }

    /** INT32, UINT32. */
    record Int32s(int[] values) implements TensorData {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public Object array() {
            return values;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Int32s that && Arrays.equals(values, that.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }

    /** INT64, UINT64. */
    record Int64s(long[] values) implements TensorData {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public Object array() {
            return values;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Int64s that && Arrays.equals(values, that.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }

    /** FP32. */
    record Fp32s(float[] values) implements TensorData {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public Object array() {
            return values;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Fp32s that && Arrays.equals(values, that.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }

    /** FP64. */
    record Fp64s(double[] values) implements TensorData {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public Object array() {
            return values;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Fp64s that && Arrays.equals(values, that.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }

    /** BYTES: each element's bytes. */
    record ByteStrings(byte[][] values) implements TensorData {
        @Override
        public int length() {
            return values.length;
        }

        @Override
        public Object array() {
            return values;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ByteStrings that && Arrays.deepEquals(values, that.values);
        }

        @Override
        public int hashCode() {
            return Arrays.deepHashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.stream(values).map(v -> new String(v, StandardCharsets.UTF_8))
                    .toList().toString();
        }
    }
}
