package dev.mlpipe.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PredictedClassesTest {

    @Test
    void aPredictionIsItsClassWhicheverStringObjectNamesIt() {
        PredictedClasses classes = new PredictedClasses();
        String three = "3";
        assertThat(classes.of(three)).isEqualTo((short) 3);
        assertThat(classes.of(three)).isEqualTo((short) 3);
        assertThat(classes.of(new String("3"))).isEqualTo((short) 3);
        assertThat(classes.of("1")).isEqualTo((short) 1);
        assertThat(classes.of("999")).isEqualTo((short) 999);
        assertThat(classes.of(null)).isEqualTo((short) -1);
    }
}
