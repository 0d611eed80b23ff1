package dev.mlpipe.v2;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** FP32 to and from little-endian bytes, for binary tensors and broker messages alike. */
class Fp32BytesTest {

    @Test
    void valuesAreTheirIeeeBitsLowByteFirst() {
        assertThat(Fp32Bytes.encode(new float[] { 1.0f, -2.5f })).containsExactly(
                0x00, 0x00, 0x80, 0x3f,
                0x00, 0x00, 0x20, 0xc0);
    }

    @Test
    void valuesReadBackFromTheMiddleOfABody() {
        byte[] values = Fp32Bytes.encode(new float[] { 0.1f, Float.NaN, -0.0f, Float.MIN_VALUE });
        byte[] body = new byte[values.length + 5];
        System.arraycopy(values, 0, body, 3, values.length);

        assertThat(Fp32Bytes.decode(body, 3, values.length)).containsExactly(0.1f, Float.NaN, -0.0f, Float.MIN_VALUE);
    }
}
