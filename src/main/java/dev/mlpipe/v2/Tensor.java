package dev.mlpipe.v2;

import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A named tensor as an infer request's input or a response's output carries it (inference_rest.md, "Request Input",
 * "Response Output"): its datatype, shape and elements. The binary extension's {@code binary_data_size} is not among
 * its parameters: a reader takes it away, and a writer adds it where it writes the tensor binary.
 */
public record Tensor(String name, Datatype datatype, long[] shape, TensorData data, Parameters parameters) {

    /** @throws IllegalArgumentException if the data is not the datatype's kind or not as many elements as the shape */
    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(datatype, "datatype");
        Objects.requireNonNull(data, "data");
        shape = shape.clone();
        parameters = parameters == null ? Parameters.NONE : parameters;
        if (!datatype.holds(data)) {
            throw new IllegalArgumentException(name + ": " + datatype + " is not kept in " + data.getClass().getSimpleName());
        }
        long count = elementCount(shape);
        if (count != data.length()) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " has " + count
                    + " elements, the data " + data.length());
        }
    }

    public Tensor(String name, Datatype datatype, long[] shape, TensorData data) {
        this(name, datatype, shape, data, Parameters.NONE);
    }

    public static Tensor bools(String name, long[] shape, boolean... values) {
        return new Tensor(name, Datatype.BOOL, shape, new TensorData.Bools(values));
    }

    public static Tensor int32(String name, long[] shape, int... values) {
        return new Tensor(name, Datatype.INT32, shape, new TensorData.Int32s(values));
    }

    public static Tensor int64(String name, long[] shape, long... values) {
        return new Tensor(name, Datatype.INT64, shape, new TensorData.Int64s(values));
    }

    public static Tensor fp32(String name, long[] shape, float... values) {
        return new Tensor(name, Datatype.FP32, shape, new TensorData.Fp32s(values));
    }

    public static Tensor fp64(String name, long[] shape, double... values) {
        return new Tensor(name, Datatype.FP64, shape, new TensorData.Fp64s(values));
    }

    /** BYTES from strings, each as its UTF-8 bytes. */
    public static Tensor strings(String name, long[] shape, String... values) {
        byte[][] bytes = new byte[values.length][];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = values[i].getBytes(StandardCharsets.UTF_8);
        }
        return new Tensor(name, Datatype.BYTES, shape, new TensorData.ByteStrings(bytes));
    }

    /** The same tensor under other parameters. */
    public Tensor withParameters(Parameters other) {
        return new Tensor(name, datatype, shape, data, other);
    }

    /** The shape's product, or {@code -1} beyond {@link Long#MAX_VALUE} (or with a negative dimension). */
    public static long elementCount(long[] shape) {
        long count = 1;
        for (long dimension : shape) {
            if (dimension < 0) {
                return -1;
            }
            if (dimension != 0 && count > Long.MAX_VALUE / dimension) {
                return -1;
            }
            count *= dimension;
        }
        return count;
    }

    /**
     * Rows {@code from} (inclusive) to {@code to} (exclusive) of the first dimension, copied: how a batch's answer is
     * split back into the requests it joined.
     */
    public Tensor rows(int from, int to) {
        if (shape.length == 0 || from < 0 || to > shape[0] || from > to) {
            throw new IndexOutOfBoundsException(name + ": rows " + from + ".." + to + " of shape " + Arrays.toString(shape));
        }
        int perRow = shape[0] == 0 ? 0 : (int) (data.length() / shape[0]);
        long[] sliced = shape.clone();
        sliced[0] = to - from;
        return new Tensor(name, datatype, sliced, data.slice(from * perRow, to * perRow), parameters);
    }

    /**
     * The tensors one after another along the first dimension, under the first one's name and parameters: how the
     * requests of a batch join into one. They must share the datatype and every dimension but the first.
     */
    public static Tensor concatRows(List<Tensor> tensors) {
        Tensor first = tensors.get(0);
        long rows = 0;
        int length = 0;
        for (Tensor tensor : tensors) {
            if (tensor.datatype != first.datatype || tensor.shape.length != first.shape.length || tensor.shape.length == 0
                    || !Arrays.equals(tensor.shape, 1, tensor.shape.length, first.shape, 1, first.shape.length)) {
                throw new IllegalArgumentException(tensor.name + " " + tensor.datatype + " " + Arrays.toString(tensor.shape)
                        + " does not join " + first.datatype + " " + Arrays.toString(first.shape));
            }
            rows += tensor.shape[0];
            length = Math.addExact(length, tensor.data.length());
        }
        Object joined = Array.newInstance(first.data.values().getClass().getComponentType(), length);
        int at = 0;
        for (Tensor tensor : tensors) {
            System.arraycopy(tensor.data.values(), 0, joined, at, tensor.data.length());
            at += tensor.data.length();
        }
        long[] shape = first.shape.clone();
        shape[0] = rows;
        return new Tensor(first.name, first.datatype, shape, TensorData.of(joined), first.parameters);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The size of the given dimension, without copying the shape. */
    public long dimension(int index) {
        return shape[index];
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Tensor that && name.equals(that.name) && datatype == that.datatype
                && Arrays.equals(shape, that.shape) && Objects.deepEquals(data.values(), that.data.values())
                && parameters.equals(that.parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, datatype, Arrays.hashCode(shape), Arrays.deepHashCode(new Object[] { data.values() }),
                parameters);
    }

    @Override
    public String toString() {
        String elements = data instanceof TensorData.ByteStrings strings
                ? Arrays.stream(strings.values()).map(bytes -> new String(bytes, StandardCharsets.UTF_8)).toList().toString()
                : Arrays.deepToString(new Object[] { data.values() });
        return name + " " + datatype + " " + Arrays.toString(shape) + " " + elements
                + (parameters.isEmpty() ? "" : " " + parameters);
    }
}
