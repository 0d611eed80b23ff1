package dev.mlpipe.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mlpipe.model.Result;

class AccuracyTallyTest {

    @Test
    void aRunWithoutLabelledResultsHasNoAccuracy() {
        assertThat(new AccuracyTally(new Labels()).view(true)).isNull();
    }

    @Test
    void accuracyIsTheShareOfLabelledResultsPredictedAndTheConfusionCountsEachPairOnceFinished() {
        AccuracyTally tally = new AccuracyTally(new Labels());
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

    @Test
    void aLabelSeenBeforeAPredictionCountsThatPredictionToo() {
        AccuracyTally tally = new AccuracyTally(new Labels());
        tally.count("cat", "cat");
        for (int i = 0; i < 40; i++) {
            tally.count("dog" + i, "p" + i);
        }
        tally.count("cat", "p39");
        tally.count("cat", "null");

        Map<String, Map<String, Long>> confusion = tally.view(true).confusion();
        assertThat(confusion.get("cat")).isEqualTo(Map.of("cat", 1L, "p39", 1L, "null", 1L));
        assertThat(confusion.get("dog7")).isEqualTo(Map.of("p7", 1L));
        assertThat(confusion).hasSize(41);
        assertThat(tally.view(true).correct()).isEqualTo(1);
    }

    @Test
    void aLabelIsCorrectOnceTheModelPredictsItEvenIfItFirstCameBeforeThatPrediction() {
        AccuracyTally tally = new AccuracyTally(new Labels());
        tally.count("b", "a");
        tally.count("a", "b");
        tally.count("b", "b");
        tally.count("a", "a");

        assertThat(tally.view(true).correct()).isEqualTo(2);
        assertThat(tally.view(true).confusion())
                .isEqualTo(Map.of("a", Map.of("a", 1L, "b", 1L), "b", Map.of("a", 1L, "b", 1L)));
    }

    @Test
    void aClassifiersResultsAreCountedByTheirClassAndNamedByTheirPrediction() {
        AccuracyTally tally = new AccuracyTally(new Labels());
        tally.count(classified("7", 7, "7"));
        tally.count(classified("7", 1, "1"));
        tally.count(classified("1", 1, "1"));
        tally.count(classified("1", 1, "1"));
        tally.count(classified("4", 7, "7"));

        assertThat(tally.view(true).correct()).isEqualTo(3);
        assertThat(tally.view(true).confusion()).isEqualTo(
                Map.of("7", Map.of("7", 1L, "1", 1L), "1", Map.of("1", 2L), "4", Map.of("7", 1L)));
    }

    private static Result classified(String label, int predictedClass, String prediction) {
        return new Result("0000000000aa", 1, 0, prediction, 0.9, 1, 10, 20, 30, 30, 40, "w", 1, 1,
                new Result.TensorResult(0, label, predictedClass, new float[0], new float[0]));
    }
}
