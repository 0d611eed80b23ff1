package dev.mlpipe.v2;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * A tensor's {@code data} in JSON (inference_rest.md, "Tensor Data"): its elements row-major, flat or nested to any
 * depth (the leaves are counted, in order); read into the datatype's primitive array, written flat. Integers must be
 * JSON integers within their type's range; FP16, FP32, FP64 any JSON number, or NaN, Infinity, -Infinity (bare, as
 * Python's json writes them, or as strings); BOOL {@code true} or {@code false}; BYTES strings (their UTF-8 bytes).
 */
final class TensorJson {

    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private TensorJson() {
    }

    /**
     * Reads the array at the parser's current token, which must hold exactly {@code count} elements.
     *
     * @throws V2Refused naming {@code where} and the element at fault
     */
    static TensorData read(JsonParser parser, String where, Datatype type, long[] shape, int count) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw V2Refused.badRequest(where + ": 'data' must be an array");
        }
        Elements elements = new Elements(type, count);
        int depth = 1;
        int index = 0;
        while (true) {
            JsonToken token = parser.nextToken();
            if (token == JsonToken.START_ARRAY) {
                depth++;
            } else if (token == JsonToken.END_ARRAY) {
                if (--depth == 0) {
                    break;
                }
            } else if (token == null) {
                throw V2Refused.badRequest(where + ": 'data' ends before its array closes");
            } else {
                if (index == count) {
                    throw V2Refused.badRequest(where + ": 'data' has more than the " + count + " elements of shape "
                            + Arrays.toString(shape));
                }
                elements.put(parser, token, index++, where);
            }
        }
        if (index != count) {
            throw V2Refused.badRequest(where + ": shape " + Arrays.toString(shape) + " holds " + count
                    + " elements, 'data' has " + index);
        }
        return elements.data();
    }

    /** The elements as read so far, in their datatype's array. */
    private static final class Elements {
        private final Datatype type;
        private boolean[] bools;
        private byte[] int8s;
        private short[] int16s;
        private int[] int32s;
        private long[] int64s;
        private float[] fp32s;
        private double[] fp64s;
        private byte[][] strings;

        Elements(Datatype type, int count) {
            this.type = type;
            switch (type) {
                case BOOL -> bools = new boolean[count];
                case UINT8, INT8 -> int8s = new byte[count];
                case UINT16, INT16, FP16 -> int16s = new short[count];
                case UINT32, INT32 -> int32s = new int[count];
                case UINT64, INT64 -> int64s = new long[count];
                case FP32 -> fp32s = new float[count];
                case FP64 -> fp64s = new double[count];
                case BYTES -> strings = new byte[count][];
            }
        }

        void put(JsonParser parser, JsonToken token, int index, String where) throws IOException {
            switch (type) {
                case FP32 -> fp32s[index] = (float) floating(parser, token, index, where, true);
                case FP64 -> fp64s[index] = floating(parser, token, index, where, false);
                case INT64 -> int64s[index] = integer(parser, token, index, where, Long.MIN_VALUE, Long.MAX_VALUE);
                case INT32 -> int32s[index] = (int) integer(parser, token, index, where, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case UINT32 -> int32s[index] = (int) integer(parser, token, index, where, 0, 0xffff_ffffL);
                case INT16 -> int16s[index] = (short) integer(parser, token, index, where, Short.MIN_VALUE, Short.MAX_VALUE);
                case UINT16 -> int16s[index] = (short) integer(parser, token, index, where, 0, 0xffff);
                case INT8 -> int8s[index] = (byte) integer(parser, token, index, where, Byte.MIN_VALUE, Byte.MAX_VALUE);
                case UINT8 -> int8s[index] = (byte) integer(parser, token, index, where, 0, 0xff);
                case UINT64 -> int64s[index] = unsigned64(parser, token, index, where);
                case FP16 -> int16s[index] = half(parser, token, index, where);
                case BOOL -> {
                    if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
                        throw element(where, index, "true or false", parser);
                    }
                    bools[index] = token == JsonToken.VALUE_TRUE;
                }
                case BYTES -> {
                    if (token != JsonToken.VALUE_STRING) {
                        throw element(where, index, "a string", parser);
                    }
                    strings[index] = parser.getText().getBytes(StandardCharsets.UTF_8);
                }
            }
        }

        TensorData data() {
            return switch (type) {
                case BOOL -> new TensorData.Bools(bools);
                case UINT8, INT8 -> new TensorData.Int8s(int8s);
                case UINT16, INT16, FP16 -> new TensorData.Int16s(int16s);
                case UINT32, INT32 -> new TensorData.Int32s(int32s);
                case UINT64, INT64 -> new TensorData.Int64s(int64s);
                case FP32 -> new TensorData.Fp32s(fp32s);
                case FP64 -> new TensorData.Fp64s(fp64s);
                case BYTES -> new TensorData.ByteStrings(strings);
            };
        }
    }

    private static double floating(JsonParser parser, JsonToken token, int index, String where, boolean single)
            throws IOException {
        if (token == JsonToken.VALUE_NUMBER_FLOAT || token == JsonToken.VALUE_NUMBER_INT) {
            double value = single ? parser.getFloatValue() : parser.getDoubleValue();
            if (Double.isInfinite(value) && !parser.isNaN()) {
                throw V2Refused.badRequest(where + ": element " + index + " of 'data', " + V2Refused.clip(parser.getText())
                        + ", is beyond the range of " + (single ? "FP32" : "FP64"));
            }
            return value;
        }
        if (token == JsonToken.VALUE_STRING) {
            switch (parser.getText()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw element(where, index, "a number", parser);
    }

    private static short half(JsonParser parser, JsonToken token, int index, String where) throws IOException {
        float value = (float) floating(parser, token, index, where, true);
        short half = Half.fromFloat(value);
        if (Float.isInfinite(Half.toFloat(half)) && !Float.isInfinite(value)) {
            throw V2Refused.badRequest(where + ": element " + index + " of 'data', " + V2Refused.clip(parser.getText())
                    + ", is beyond the range of FP16 (65504)");
        }
        return half;
    }

    private static long integer(JsonParser parser, JsonToken token, int index, String where, long min, long max)
            throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw element(where, index, "an integer", parser);
        }
        if (parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            long value = parser.getLongValue();
            if (value >= min && value <= max) {
                return value;
            }
        }
        throw V2Refused.badRequest(where + ": element " + index + " of 'data', " + V2Refused.clip(parser.getText())
                + ", is outside " + min + ".." + max);
    }

    private static long unsigned64(JsonParser parser, JsonToken token, int index, String where) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT) {
            throw element(where, index, "an integer", parser);
        }
        BigInteger value = parser.getBigIntegerValue();
        if (value.signum() < 0 || value.compareTo(UINT64_MAX) > 0) {
            throw V2Refused.badRequest(where + ": element " + index + " of 'data', " + V2Refused.clip(parser.getText())
                    + ", is outside 0.." + UINT64_MAX);
        }
        return value.longValue();
    }

    private static V2Refused element(String where, int index, String expected, JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        String found = token == JsonToken.START_OBJECT ? "an object"
                : token == JsonToken.VALUE_STRING ? "\"" + V2Refused.clip(parser.getText()) + "\""
                        : V2Refused.clip(parser.getText());
        return V2Refused.badRequest(where + ": element " + index + " of 'data' must be " + expected + ", not " + found);
    }

    /** Writes {@code data} as a flat JSON array of its elements, read as {@code type}. */
    static void write(JsonGenerator json, Datatype type, TensorData data) throws IOException {
        json.writeStartArray();
        switch (type) {
            case BOOL -> {
                for (boolean value : ((TensorData.Bools) data).values()) {
                    json.writeBoolean(value);
                }
            }
            case INT8 -> {
                for (byte value : ((TensorData.Int8s) data).values()) {
                    json.writeNumber(value);
                }
            }
            case UINT8 -> {
                for (byte value : ((TensorData.Int8s) data).values()) {
                    json.writeNumber(value & 0xff);
                }
            }
            case INT16 -> {
                for (short value : ((TensorData.Int16s) data).values()) {
                    json.writeNumber(value);
                }
            }
            case UINT16 -> {
                for (short value : ((TensorData.Int16s) data).values()) {
                    json.writeNumber(value & 0xffff);
                }
            }
            case FP16 -> {
                for (short value : ((TensorData.Int16s) data).values()) {
                    json.writeNumber(Half.toFloat(value));
                }
            }
            case INT32 -> {
                for (int value : ((TensorData.Int32s) data).values()) {
                    json.writeNumber(value);
                }
            }
            case UINT32 -> {
                for (int value : ((TensorData.Int32s) data).values()) {
                    json.writeNumber(Integer.toUnsignedLong(value));
                }
            }
            case INT64 -> {
                for (long value : ((TensorData.Int64s) data).values()) {
                    json.writeNumber(value);
                }
            }
            case UINT64 -> {
                for (long value : ((TensorData.Int64s) data).values()) {
                    if (value >= 0) {
                        json.writeNumber(value);
                    } else {
                        json.writeNumber(Long.toUnsignedString(value));
                    }
                }
            }
            case FP32 -> {
                for (float value : ((TensorData.Fp32s) data).values()) {
                    json.writeNumber(value);
                }
            }
            case FP64 -> {
                for (double value : ((TensorData.Fp64s) data).values()) {
                    json.writeNumber(value);
                }
            }
            case BYTES -> {
                for (byte[] value : ((TensorData.ByteStrings) data).values()) {
                    json.writeString(new String(value, StandardCharsets.UTF_8));
                }
            }
        }
        json.writeEndArray();
    }
}
