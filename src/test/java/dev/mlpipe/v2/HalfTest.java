package dev.mlpipe.v2;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** FP16 to and from float, for FP16 tensors in JSON. */
class HalfTest {

    @Test
    void everyHalfReadsBackAsItselfThroughFloat() {
        for (int bits = 0; bits <= 0xffff; bits++) {
            short half = (short) bits;
            float value = Half.toFloat(half);
            if (Float.isNaN(value)) {
                assertThat(Float.isNaN(Half.toFloat(Half.fromFloat(value)))).as("NaN %04x", bits).isTrue();
            } else {
                assertThat(Half.fromFloat(value)).as("%04x = %s", bits, value).isEqualTo(half);
            }
        }
    }

    @Test
    void knownValuesHaveTheirIeeeBits() {
        assertThat(Half.toFloat((short) 0x3c00)).isEqualTo(1.0f);
        assertThat(Half.toFloat((short) 0xc000)).isEqualTo(-2.0f);
        assertThat(Half.toFloat((short) 0x7bff)).isEqualTo(65504.0f);
        assertThat(Half.toFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(Half.toFloat((short) 0x8000)).isEqualTo(-0.0f);
        assertThat(Half.toFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(Half.fromFloat(0.1f)).isEqualTo((short) 0x2e66);
    }

    @Test
    void floatsBetweenTwoHalvesRoundToTheNearestAndTiesToEven() {
        float one = 1.0f;
        float ulp = 0x1p-10f; // between 1 and 2 halves are 2^-10 apart
        assertThat(Half.fromFloat(one + ulp / 2)).as("a tie goes to the even 1.0").isEqualTo((short) 0x3c00);
        assertThat(Half.fromFloat(one + ulp * 1.5f)).as("a tie goes to the even 1 + 2 ulp").isEqualTo((short) 0x3c02);
        assertThat(Half.fromFloat(one + ulp * 0.51f)).isEqualTo((short) 0x3c01);
        assertThat(Half.fromFloat(65519f)).as("below the tie with infinity").isEqualTo((short) 0x7bff);
        assertThat(Half.fromFloat(65520f)).as("the tie with infinity rounds to it").isEqualTo((short) 0x7c00);
        assertThat(Half.fromFloat(0x1p-25f)).as("half the least subnormal ties to zero").isEqualTo((short) 0);
        assertThat(Half.fromFloat(0x1.1p-25f)).as("just above it, the least subnormal").isEqualTo((short) 1);
        assertThat(Half.fromFloat(1e-10f)).isEqualTo((short) 0);
        assertThat(Half.fromFloat(-1e10f)).isEqualTo((short) 0xfc00);
    }
}
