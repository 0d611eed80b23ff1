package dev.mlpipe.v2;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The tensor element types of the Open Inference Protocol (inference_rest.md, "Tensor Data Types"), each with its size in
 * bytes in the binary tensor data extension ({@code 0} for BYTES, whose elements each carry their own length).
 */
public enum Datatype {
    BOOL(1),
    UINT8(1),
    UINT16(2),
    UINT32(4),
    UINT64(8),
    INT8(1),
    INT16(2),
    INT32(4),
    INT64(8),
    FP16(2),
    FP32(4),
    FP64(8),
    BYTES(0);

    private static final String NAMES = Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));

    private final int byteSize;

    Datatype(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element in binary, {@code 0} for BYTES (variable). */
    public int byteSize() {
        return byteSize;
    }

    /** Whether {@code data} is the kind of array this datatype's elements are kept in. */
    public boolean holds(TensorData data) {
        return switch (this) {
            case BOOL -> data instanceof TensorData.Bools;
            case UINT8, INT8 -> data instanceof TensorData.Int8s;
            case UINT16, INT16, FP16 -> data instanceof TensorData.Int16s;
            case UINT32, INT32 -> data instanceof TensorData.Int32s;
            case UINT64, INT64 -> data instanceof TensorData.Int64s;
            case FP32 -> data instanceof TensorData.Fp32s;
            case FP64 -> data instanceof TensorData.Fp64s;
            case BYTES -> data instanceof TensorData.ByteStrings;
        };
    }

    /**
     * The datatype the protocol spells {@code name} (upper case, as the spec writes it).
     *
     * @throws V2Refused naming {@code where} and the names there are
     */
    public static Datatype named(String name, String where) {
        for (Datatype type : values()) {
            if (type.name().equals(name)) {
                return type;
            }
        }
        throw V2Refused.badRequest(where + ": unknown datatype '" + V2Refused.clip(name) + "' (one of " + NAMES + ")");
    }
}
