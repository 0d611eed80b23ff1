package dev.mlpipe.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VerdictTest {

    /** Shares with the loader never waiting for a client. */
    private static Verdict.Shares shares(double loaderBlocked, double dropped, double modelIdle) {
        return new Verdict.Shares(loaderBlocked, dropped, 0, modelIdle);
    }

    @Test
    void aLoaderHeldBackByItsSlowestClientIsReaderBound() {
        Verdict.Finding finding = Verdict.of(new Verdict.Shares(0.0, 0.0, 0.7, 0.6), 0.3, 10);

        assertThat(finding.verdict()).isEqualTo(Verdict.READER_BOUND);
        assertThat(finding.reason()).contains("the readers set the pace", "70%");
        assertThat(Verdict.of(new Verdict.Shares(0.0, 0.0, Verdict.HIGH, 0.0), 0.3, 10).verdict())
                .as("up to the threshold, the readers are not the bottleneck").isEqualTo(Verdict.BALANCED);
    }

    @Test
    void aModelThatWaitsForDataMostOfTheTimeIsLoaderBound() {
        Verdict.Finding finding = Verdict.of(shares(0.0, 0.0, 0.9), 0.1, 10);

        assertThat(finding.verdict()).isEqualTo(Verdict.LOADER_BOUND);
        assertThat(finding.reason()).contains("the model waited for data 90%", "0.1 of 10");
    }

    @Test
    void aLoaderThatWaitsForRoomMostOfTheTimeIsModelBound() {
        Verdict.Finding finding = Verdict.of(shares(0.85, 0.0, 0.01), 9.6, 10);

        assertThat(finding.verdict()).isEqualTo(Verdict.MODEL_BOUND);
        assertThat(finding.reason()).contains("the loader waited for room 85%");
    }

    @Test
    void droppingForLackOfRoomIsModelBoundToo() {
        Verdict.Finding finding = Verdict.of(shares(0.0, 0.6, 0.0), 9.9, 10);

        assertThat(finding.verdict()).isEqualTo(Verdict.MODEL_BOUND);
        assertThat(finding.reason()).contains("60% of the items were dropped");
    }

    @Test
    void aQueueThatStaysFullWhileTheModelNeverIdlesIsModelBound() {
        assertThat(Verdict.of(shares(0.1, 0.0, 0.01), 8.5, 10).verdict()).isEqualTo(Verdict.MODEL_BOUND);
    }

    @Test
    void littleWaitingOnEitherSideIsBalancedUpToTheThresholds() {
        assertThat(Verdict.of(shares(0.04, 0.0, 0.03), 2.0, 10).verdict()).isEqualTo(Verdict.BALANCED);
        assertThat(Verdict.of(shares(Verdict.HIGH, 0.0, Verdict.HIGH), 5.0, 10).verdict()).isEqualTo(Verdict.BALANCED);
        assertThat(Verdict.of(shares(0.0, 0.0, Verdict.HIGH + 0.01), 5.0, 10).verdict()).isEqualTo(Verdict.LOADER_BOUND);
        assertThat(Verdict.of(shares(Verdict.HIGH + 0.01, 0.0, 0.0), 5.0, 10).verdict()).isEqualTo(Verdict.MODEL_BOUND);
    }

    @Test
    void itIsWrittenAsTheApiSpellsIt() {
        assertThat(Verdict.MODEL_BOUND.label()).isEqualTo("model-bound");
        assertThat(Verdict.LOADER_BOUND.label()).isEqualTo("loader-bound");
        assertThat(Verdict.BALANCED.label()).isEqualTo("balanced");
        assertThat(Verdict.READER_BOUND.label()).isEqualTo("reader-bound");
    }
}
