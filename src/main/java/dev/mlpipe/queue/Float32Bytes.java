package dev.mlpipe.queue;

import java.util.Base64;

import com.fasterxml.jackson.databind.util.StdConverter;

import dev.mlpipe.v2.Fp32Bytes;

/**
 * A row of numbers as a broker message carries it: float32 little-endian bytes ({@link Fp32Bytes}, as the v2 binary
 * tensor data extension carries them) in standard base64 (RFC 4648, padded):
 * 4 bytes a value, 5.3 characters, exact, against up to 15 characters of decimal text that a reader must parse back.
 * The converters of the row's field, so an item and a result stay one JSON document a dead-letter reader can still
 * read. A string rather than Jackson's own {@code byte[]}, whose base64 variant is the mapper's to choose.
 */
public final class Float32Bytes {

    private Float32Bytes() {
    }

    public static byte[] encode(float[] values) {
        return Fp32Bytes.encode(values);
    }

    /** @throws IllegalArgumentException if the bytes are not a whole number of float32 values */
    public static float[] decode(byte[] bytes) {
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("a row of float32 values takes a multiple of 4 bytes, not "
                    + bytes.length);
        }
        return Fp32Bytes.decode(bytes, 0, bytes.length);
    }

    /** Jackson's way to a row's base64 on writing. */
    public static final class Writer extends StdConverter<float[], String> {
        @Override
        public String convert(float[] values) {
            return Base64.getEncoder().encodeToString(encode(values));
        }
    }

    /**
     * Jackson's way back from the base64 on reading.
     *
     * @throws IllegalArgumentException if it is not base64 of whole float32 values
     */
    public static final class Reader extends StdConverter<String, float[]> {
        @Override
        public float[] convert(String base64) {
            return decode(Base64.getDecoder().decode(base64));
        }
    }
}
