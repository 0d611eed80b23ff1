package dev.mlpipe.run;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.mlpipe.model.Result;

/**
 * A run's accuracy on a labelled dataset: how many of its results had a label, how many of those the model predicted,
 * and the confusion counts (label, then prediction). The counts are kept in arrays, by the label's number in the run's
 * {@link Labels} and the prediction's in the order predictions first came: a result costs a lookup and an increment,
 * not a map's entry and a boxed count. Guarded by its run's lock, as the run's other counts.
 */
final class AccuracyTally {

    private final Labels labels;
    private final Map<String, Integer> predictionIndex = new HashMap<>();
    private String[] predictions = new String[0];
    private static final int UNKNOWN = -2;
    private static final int NONE = -1;
    /**
     * By label, the number of the prediction that is the same string, so a result is found correct without comparing
     * strings: {@link #NONE} while no prediction was that label, {@link #UNKNOWN} until looked up.
     */
    private int[] correctColumn = new int[0];
    /** By label, then prediction: a row grows to the highest prediction seen with its label. */
    private long[][] confusion = new long[0][];
    /** Labels past {@link Labels#MAX}, which have no number: rare enough for maps. */
    private final Map<String, Map<String, Long>> unnumbered = new TreeMap<>();
    private long labelled;
    private long correct;

    AccuracyTally(Labels labels) {
        this.labels = labels;
    }

    /** Counts a labelled tensor result. @return its label's number in the run's labels; -1 for none */
    int count(Result result) {
        if (result.tensor() == null || result.tensor().label() == null) {
            return -1;
        }
        String label = result.tensor().label();
        int labelIndex = labels.indexOf(label);
        count(labelIndex, label, String.valueOf(result.prediction()));
        return labelIndex;
    }

    void count(String label, String predicted) {
        count(labels.indexOf(label), label, predicted);
    }

    /** @param labelIndex the label's number in the run's labels, -1 when it has none */
    void count(int labelIndex, String label, String predicted) {
        labelled++;
        if (labelIndex < 0) {
            if (label.equals(predicted)) {
                correct++;
            }
            unnumbered.computeIfAbsent(label, l -> new TreeMap<>()).merge(predicted, 1L, Long::sum);
            return;
        }
        int column = prediction(predicted);
        if (labelIndex >= confusion.length) {
            int grown = Math.max(labelIndex + 1, confusion.length * 2);
            confusion = Arrays.copyOf(confusion, grown);
            int from = correctColumn.length;
            correctColumn = Arrays.copyOf(correctColumn, grown);
            Arrays.fill(correctColumn, from, grown, UNKNOWN);
        }
        if (correctColumn[labelIndex] == UNKNOWN) {
            correctColumn[labelIndex] = predictionIndex.getOrDefault(labels.name(labelIndex), NONE);
        }
        if (column == correctColumn[labelIndex]) {
            correct++;
        }
        long[] counts = confusion[labelIndex];
        if (counts == null || column >= counts.length) {
            counts = counts == null ? new long[column + 1]
                    : Arrays.copyOf(counts, Math.min(predictions.length, Math.max(column + 1, counts.length * 2)));
            confusion[labelIndex] = counts;
        }
        counts[column]++;
    }

    private int prediction(String predicted) {
        Integer known = predictionIndex.get(predicted);
        if (known != null) {
            return known;
        }
        int at = predictions.length;
        predictions = Arrays.copyOf(predictions, at + 1);
        predictions[at] = predicted;
        predictionIndex.put(predicted, at);
        for (int row = 0; row < correctColumn.length; row++) {
            if (correctColumn[row] == NONE) {
                correctColumn[row] = UNKNOWN; // the new prediction may be this label
            }
        }
        return at;
    }

    /**
     * @param withConfusion whether to give the confusion counts too (a finished run's view has them)
     * @return null while no result had a label
     */
    RunView.Accuracy view(boolean withConfusion) {
        if (labelled == 0) {
            return null;
        }
        Map<String, Map<String, Long>> counts = null;
        if (withConfusion) {
            counts = new TreeMap<>();
            for (int row = 0; row < confusion.length; row++) {
                long[] counted = confusion[row];
                if (counted == null) {
                    continue;
                }
                Map<String, Long> byPrediction = new HashMap<>();
                for (int column = 0; column < counted.length; column++) {
                    if (counted[column] > 0) {
                        byPrediction.put(predictions[column], counted[column]);
                    }
                }
                counts.put(labels.name(row), Map.copyOf(byPrediction));
            }
            for (Map.Entry<String, Map<String, Long>> row : unnumbered.entrySet()) {
                counts.put(row.getKey(), Map.copyOf(row.getValue()));
            }
        }
        return new RunView.Accuracy(labelled, correct, (double) correct / labelled, counts);
    }
}
