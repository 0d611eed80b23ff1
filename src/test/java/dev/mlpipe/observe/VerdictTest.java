package dev.mlpipe.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VerdictTest {

    @Test
    void aModelThatWaitsForDataMostOfTheTimeIsLoaderBound() {
        Verdict.Finding finding = Verdict.of(0.0, 0.0, 0.9, 0.1, 10);

        assertThat(finding.verdict()).isEqualTo(Verdict.LOADER_BOUND);
        assertThat(finding.reason()).contains("the model waited for data 90%", "0.1 of 10");
    }

    @Test
    void aLoaderThatWaitsForRoomMostOfTheTimeIsModelBound() {
        Verdict.Finding finding = Verdict.of(0.85, 0.0, 0.01, 9.6, 10);

        assertThat(finding.verdict()).isEqualTo(Verdict.MODEL_BOUND);
        assertThat(finding.reason()).contains("the loader waited for room 85%");
    }

    @Test
    void droppingForLackOfRoomIsModelBoundToo() {
        Verdict.Finding finding = Verdict.of(0.0, 0.6, 0.0, 9.9, 10);

        assertThat(finding.verdict()).isEqualTo(Verdict.MODEL_BOUND);
        assertThat(finding.reason()).contains("60% of the items were dropped");
    }

    @Test
    void aQueueThatStaysFullWhileTheModelNeverIdlesIsModelBound() {
        assertThat(Verdict.of(0.1, 0.0, 0.01, 8.5, 10).verdict()).isEqualTo(Verdict.MODEL_BOUND);
    }

    @Test
    void littleWaitingOnEitherSideIsBalancedUpToTheThresholds() {
        assertThat(Verdict.of(0.04, 0.0, 0.03, 2.0, 10).verdict()).isEqualTo(Verdict.BALANCED);
        assertThat(Verdict.of(Verdict.HIGH, 0.0, Verdict.HIGH, 5.0, 10).verdict()).isEqualTo(Verdict.BALANCED);
        assertThat(Verdict.of(0.0, 0.0, Verdict.HIGH + 0.01, 5.0, 10).verdict()).isEqualTo(Verdict.LOADER_BOUND);
        assertThat(Verdict.of(Verdict.HIGH + 0.01, 0.0, 0.0, 5.0, 10).verdict()).isEqualTo(Verdict.MODEL_BOUND);
    }

    @Test
    void itIsWrittenAsTheApiSpellsIt() {
        assertThat(Verdict.MODEL_BOUND.label()).isEqualTo("model-bound");
        assertThat(Verdict.LOADER_BOUND.label()).isEqualTo("loader-bound");
        assertThat(Verdict.BALANCED.label()).isEqualTo("balanced");
    }
}
