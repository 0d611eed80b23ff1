package dev.mlpipe.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PredictionTest {

    @Test
    void theToyModelIsALogisticCurveCentredOnFifty() {
        assertThat(Prediction.of(50)).isEqualTo(new Prediction("high", 0.5, Prediction.NOT_A_CLASS));
        assertThat(Prediction.of(49).label()).isEqualTo("low");
        assertThat(Prediction.of(60).score()).isEqualTo(0.7311);
        assertThat(Prediction.of(1).score()).isEqualTo(0.0074);
        assertThat(Prediction.of(100).score()).isEqualTo(0.9933);
    }
}
