package dev.mlpipe.model;

/**
 * The toy model: a logistic regression on the item's value, {@code score = 1 / (1 + e^-((value - 50) / 10))}, labelled
 * {@code high} when the score is at least 0.5. Deterministic, so a replayed run predicts the same.
 */
public record Prediction(String label, double score) {

    static final double CENTRE = 50;
    static final double SCALE = 10;

    public static Prediction of(int value) {
        double score = 1 / (1 + Math.exp(-(value - CENTRE) / SCALE));
        return new Prediction(score >= 0.5 ? "high" : "low", Math.round(score * 10_000) / 10_000.0);
    }
}
