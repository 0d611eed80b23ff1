package dev.mlpipe.v2;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The binary tensor data extension's tensors (Triton, docs/protocol/extension_binary_data.md): after the JSON header,
 * each binary tensor's bytes in the order of the tensors in the JSON, little-endian, row-major, without padding; a BOOL
 * a byte (0 false, anything else true), a BYTES element a 4-byte little-endian unsigned length and its bytes.
 */
final class BinaryTensors {

    private final byte[] body;
    private final int end;
    private int position;

    /** The binary tensors of {@code body} from {@code start} to its end. */
    BinaryTensors(byte[] body, int start) {
        this.body = body;
        this.position = start;
        this.end = body.length;
    }

    /**
     * The next tensor's elements: {@code size} bytes, which must be {@code count} elements of {@code type}.
     *
     * @param header whether the body has a JSON header (else binary tensors are not allowed)
     */
    TensorData take(String where, Datatype type, long[] shape, int count, long size, boolean header) {
        if (size < 0) {
            throw V2Refused.badRequest(where + ": binary_data_size must not be negative, not " + size);
        }
        if (size > 0 && !header) {
            throw V2Refused.badRequest(where + ": binary_data_size is given but the request has no "
                    + V2Codec.HEADER_LENGTH + " header to say where its JSON ends and the binary data begins");
        }
        if (size > end - position) {
            throw V2Refused.badRequest(where + ": binary_data_size " + size + " goes beyond the end of the body, which has "
                    + (end - position) + " bytes left");
        }
        int length = (int) size;
        if (type == Datatype.BYTES) {
            return strings(where, shape, count, length);
        }
        if ((long) count * type.byteSize() != size) {
            throw V2Refused.badRequest(where + ": binary_data_size " + size + " is not the " + (long) count * type.byteSize()
                    + " bytes of " + count + " " + type + " elements (shape " + Arrays.toString(shape) + ")");
        }
        ByteBuffer bytes = ByteBuffer.wrap(body, position, length).order(ByteOrder.LITTLE_ENDIAN);
        int start = position;
        position += length;
        return switch (type) {
            case BOOL -> {
                boolean[] values = new boolean[count];
                for (int i = 0; i < count; i++) {
                    values[i] = bytes.get() != 0;
                }
                yield new TensorData.Bools(values);
            }
            case UINT8, INT8 -> {
                byte[] values = new byte[count];
                bytes.get(values);
                yield new TensorData.Int8s(values);
            }
            case UINT16, INT16, FP16 -> {
                short[] values = new short[count];
                bytes.asShortBuffer().get(values);
                yield new TensorData.Int16s(values);
            }
            case UINT32, INT32 -> {
                int[] values = new int[count];
                bytes.asIntBuffer().get(values);
                yield new TensorData.Int32s(values);
            }
            case UINT64, INT64 -> {
                long[] values = new long[count];
                bytes.asLongBuffer().get(values);
                yield new TensorData.Int64s(values);
            }
            case FP32 -> new TensorData.Fp32s(Fp32Bytes.decode(body, start, length));
            case FP64 -> {
                double[] values = new double[count];
                bytes.asDoubleBuffer().get(values);
                yield new TensorData.Fp64s(values);
            }
            case BYTES -> throw new IllegalStateException("BYTES is read above");
        };
    }

    private TensorData strings(String where, long[] shape, int count, int size) {
        // each element is at least its 4-byte length: more elements than that cannot be there, whatever the shape says
        if (count > size / 4) {
            throw V2Refused.badRequest(where + ": binary_data_size " + size + " cannot hold the " + count
                    + " BYTES elements of shape " + Arrays.toString(shape) + " (each is a 4-byte length and its bytes)");
        }
        ByteBuffer bytes = ByteBuffer.wrap(body, position, size).order(ByteOrder.LITTLE_ENDIAN);
        byte[][] values = new byte[count][];
        for (int i = 0; i < count; i++) {
            if (bytes.remaining() < 4) {
                throw V2Refused.badRequest(where + ": binary_data_size " + size + " ends inside BYTES element " + i
                        + "'s length (shape " + Arrays.toString(shape) + " holds " + count + ")");
            }
            long length = Integer.toUnsignedLong(bytes.getInt());
            if (length > bytes.remaining()) {
                throw V2Refused.badRequest(where + ": BYTES element " + i + " says it has " + length
                        + " bytes, beyond the " + bytes.remaining() + " left of its binary_data_size " + size);
            }
            values[i] = new byte[(int) length];
            bytes.get(values[i]);
        }
        if (bytes.hasRemaining()) {
            throw V2Refused.badRequest(where + ": binary_data_size " + size + " has " + bytes.remaining()
                    + " bytes more than its " + count + " BYTES elements (shape " + Arrays.toString(shape) + ")");
        }
        position += size;
        return new TensorData.ByteStrings(values);
    }

    /** @throws V2Refused if bytes are left that no tensor took */
    void finish() {
        if (position != end) {
            throw V2Refused.badRequest("the body has " + (end - position)
                    + " bytes after its JSON header that no binary_data_size accounts for");
        }
    }

    /** How many bytes {@code data} takes in binary. */
    static long size(Datatype type, TensorData data) {
        if (data instanceof TensorData.ByteStrings strings) {
            long size = 0;
            for (byte[] value : strings.values()) {
                size += 4 + value.length;
            }
            return size;
        }
        return (long) data.length() * type.byteSize();
    }

    /** Appends {@code data} to {@code out} in binary. */
    static void write(TensorData data, Buffer out) {
        if (data instanceof TensorData.ByteStrings strings) {
            byte[] length = new byte[4];
            for (byte[] value : strings.values()) {
                ByteBuffer.wrap(length).order(ByteOrder.LITTLE_ENDIAN).putInt(value.length);
                out.write(length, 0, 4);
                out.write(value, 0, value.length);
            }
            return;
        }
        if (data instanceof TensorData.Int8s int8s) {
            out.write(int8s.values(), 0, int8s.values().length);
            return;
        }
        if (data instanceof TensorData.Bools bools) {
            for (boolean value : bools.values()) {
                out.write(value ? 1 : 0);
            }
            return;
        }
        if (data instanceof TensorData.Fp32s fp32s) {
            byte[] bytes = Fp32Bytes.encode(fp32s.values());
            out.write(bytes, 0, bytes.length);
            return;
        }
        ByteBuffer bytes;
        if (data instanceof TensorData.Int16s int16s) {
            bytes = ByteBuffer.allocate(int16s.values().length * 2).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asShortBuffer().put(int16s.values());
        } else if (data instanceof TensorData.Int32s int32s) {
            bytes = ByteBuffer.allocate(int32s.values().length * 4).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asIntBuffer().put(int32s.values());
        } else if (data instanceof TensorData.Int64s int64s) {
            bytes = ByteBuffer.allocate(int64s.values().length * 8).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asLongBuffer().put(int64s.values());
        } else if (data instanceof TensorData.Fp64s fp64s) {
            bytes = ByteBuffer.allocate(fp64s.values().length * 8).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asDoubleBuffer().put(fp64s.values());
        } else {
            throw new IllegalStateException("unknown tensor data " + data.getClass());
        }
        out.write(bytes.array(), 0, bytes.capacity());
    }
}
