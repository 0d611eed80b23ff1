package dev.mlpipe.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class AccuracyTallyTest {

    @Test
    void aRunWithoutLabelledResultsHasNoAccuracy() {
        assertThat(new AccuracyTally().view(true)).isNull();
    }

    @Test
    void accuracyIsTheShareOfLabelledResultsPredictedAndTheConfusionCountsEachPairOnceFinished() {
        AccuracyTally tally = new AccuracyTally();
        tally.count("3", "3");
        tally.count("3", "8");
        tally.count("8", "8");
        tally.count("3", "3");

        RunView.Accuracy running = tally.view(false);
        assertThat(running.labelled()).isEqualTo(4);
        assertThat(running.correct()).isEqualTo(3);
        assertThat(running.accuracy()).isEqualTo(0.75);
        assertThat(running.confusion()).as("only a finished run's view has them").isNull();

        assertThat(tally.view(true).confusion())
                .isEqualTo(Map.of("3", Map.of("3", 2L, "8", 1L), "8", Map.of("8", 1L)));
    }
}
