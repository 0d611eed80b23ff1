package dev.mlpipe.run;

import java.util.Map;
import java.util.TreeMap;

/**
 * A run's accuracy on a labelled dataset: how many of its results had a label, how many of those the model predicted,
 * and the confusion counts (label, then prediction). Guarded by its run's lock, as the run's other counts.
 */
final class AccuracyTally {

    private final Map<String, Map<String, Long>> confusion = new TreeMap<>();
    private long labelled;
    private long correct;

    void count(String label, String predicted) {
        labelled++;
        if (label.equals(predicted)) {
            correct++;
        }
        confusion.computeIfAbsent(label, l -> new TreeMap<>()).merge(predicted, 1L, Long::sum);
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
            for (Map.Entry<String, Map<String, Long>> row : confusion.entrySet()) {
                counts.put(row.getKey(), Map.copyOf(row.getValue()));
            }
        }
        return new RunView.Accuracy(labelled, correct, (double) correct / labelled, counts);
    }
}
