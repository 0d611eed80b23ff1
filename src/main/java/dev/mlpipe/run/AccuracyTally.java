package dev.mlpipe.run;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.mlpipe.model.Result;

/**
 * A run's accuracy on a labelled dataset: how many of its results had a label, how many of those the model predicted,
 * and the confusion counts (label, then prediction). The counts are kept in arrays, by the label's number in the run's
 * {@link Labels} and the prediction's in a second {@code Labels} of predictions (a classifier's result is looked up by
 * its class index, once per class): a result costs an increment, not a map's entry and a boxed count. Guarded by its
 * run's lock, as the run's other counts.
 */
final class AccuracyTally {

    private final Labels labels;
    private final Labels predictions = new Labels();
    /** By a classifier's class index, its prediction's number in {@link #predictions}; -1 until first seen. */
    private int[] classColumn = new int[0];
    private static final int UNKNOWN = -2;
    private static final int NONE = -1;
    /**
     * By label, the number of the prediction that is the same string, so a result is found correct without comparing
     * strings: {@link #NONE} while no prediction was that label, {@link #UNKNOWN} until looked up.
     */
    private int[] correctColumn = new int[0];
    /** Predictions numbered when {@link #correctColumn} was last brought up to date. */
    private int seenPredictions;
    /** By label, then prediction: a row grows to the highest prediction seen with its label. */
    private long[][] confusion = new long[0][];
    /** Labels or predictions past {@link Labels#MAX}, which have no number: rare enough for maps. */
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
        return count(result.tensor().label(), result.tensor().predictedClass(), result.prediction());
    }

    /**
     * Counts a tensor result by its label (null: none), predicted class ({@code Prediction.NOT_A_CLASS}: none) and
     * prediction. @return its label's number in the run's labels; -1 for none
     */
    int count(String label, int classIndex, String prediction) {
        if (label == null) {
            return -1;
        }
        int labelIndex = labels.indexOf(label);
        String predicted = String.valueOf(prediction);
        count(labelIndex, label, classIndex < 0 ? predictions.indexOf(predicted) : column(classIndex, predicted),
                predicted);
        return labelIndex;
    }

    void count(String label, String predicted) {
        count(labels.indexOf(label), label, predictions.indexOf(predicted), predicted);
    }

    /** The prediction's number of a class: looked up by its name the first time the class is seen. */
    private int column(int classIndex, String predicted) {
        if (classIndex >= classColumn.length) {
            int from = classColumn.length;
            classColumn = Arrays.copyOf(classColumn, Math.max(classIndex + 1, from * 2));
            Arrays.fill(classColumn, from, classColumn.length, -1);
        }
        int column = classColumn[classIndex];
        if (column < 0) {
            column = predictions.indexOf(predicted);
            classColumn[classIndex] = column;
        }
        return column;
    }

    /**
     * @param labelIndex the label's number in the run's labels, -1 when it has none
     * @param column the prediction's number in {@link #predictions}, -1 when it has none
     */
    private void count(int labelIndex, String label, int column, String predicted) {
        labelled++;
        if (labelIndex < 0 || column < 0) {
            if (label.equals(predicted)) {
                correct++;
            }
            unnumbered.computeIfAbsent(label, l -> new TreeMap<>()).merge(predicted, 1L, Long::sum);
            return;
        }
        if (column >= seenPredictions) {
            seenPredictions = column + 1;
            for (int row = 0; row < correctColumn.length; row++) {
                if (correctColumn[row] == NONE) {
                    correctColumn[row] = UNKNOWN; // the new prediction may be this label
                }
            }
        }
        if (labelIndex >= confusion.length) {
            int grown = Math.max(labelIndex + 1, confusion.length * 2);
            confusion = Arrays.copyOf(confusion, grown);
            int from = correctColumn.length;
            correctColumn = Arrays.copyOf(correctColumn, grown);
            Arrays.fill(correctColumn, from, grown, UNKNOWN);
        }
        if (correctColumn[labelIndex] == UNKNOWN) {
            correctColumn[labelIndex] = predictions.numbered(labels.name(labelIndex));
        }
        if (column == correctColumn[labelIndex]) {
            correct++;
        }
        long[] counts = confusion[labelIndex];
        if (counts == null || column >= counts.length) {
            counts = counts == null ? new long[column + 1]
                    : Arrays.copyOf(counts, Math.min(predictions.size(), Math.max(column + 1, counts.length * 2)));
            confusion[labelIndex] = counts;
        }
        counts[column]++;
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
            Map<String, Map<String, Long>> rows = new TreeMap<>();
            for (int row = 0; row < confusion.length; row++) {
                long[] counted = confusion[row];
                if (counted == null) {
                    continue;
                }
                Map<String, Long> byPrediction = rows.computeIfAbsent(labels.name(row), l -> new HashMap<>());
                for (int column = 0; column < counted.length; column++) {
                    if (counted[column] > 0) {
                        byPrediction.put(predictions.name(column), counted[column]);
                    }
                }
            }
            for (Map.Entry<String, Map<String, Long>> row : unnumbered.entrySet()) {
                // a numbered label's row holds no unnumbered prediction, so the two never count one pair
                rows.computeIfAbsent(row.getKey(), l -> new HashMap<>()).putAll(row.getValue());
            }
            counts = new TreeMap<>();
            for (Map.Entry<String, Map<String, Long>> row : rows.entrySet()) {
                counts.put(row.getKey(), Map.copyOf(row.getValue()));
            }
        }
        return new RunView.Accuracy(labelled, correct, (double) correct / labelled, counts);
    }
}
