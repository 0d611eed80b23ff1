package dev.mlpipe.model;

/**
 * What the model predicted for an item: its label, the score behind it, and, for a classifier's output, the class's
 * index in its output row ({@link #NOT_A_CLASS} otherwise), so the run counts by that number without reading the label.
 * The simulated model is a logistic regression on the item's value,
 * {@code score = 1 / (1 + e^-((value - 50) / 10))}, labelled {@code high} when the score is at least 0.5: deterministic,
 * so a replayed run predicts the same.
 */
public record Prediction(String label, double score, int classIndex) {

    /** The class index of a prediction not read from a class vector: the simulated model's. */
    public static final int NOT_A_CLASS = -1;
    /** What a model whose output is not a class vector predicts: nothing, only its outputs are reported. */
    public static final Prediction NONE = new Prediction(null, 0, NOT_A_CLASS);

    static final double CENTRE = 50;
    static final double SCALE = 10;

    public static Prediction of(int value) {
        double score = 1 / (1 + Math.exp(-(value - CENTRE) / SCALE));
        return new Prediction(score >= 0.5 ? "high" : "low", Math.round(score * 10_000) / 10_000.0, NOT_A_CLASS);
    }
}
