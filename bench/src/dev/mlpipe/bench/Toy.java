package dev.mlpipe.bench;

/**
 * The toy model mlpipe runs ({@code dev.mlpipe.model.Prediction}), copied rather than shared so that the baseline and
 * the card's construct depend on nothing of the service: a logistic regression on the value, labelled {@code high}
 * when the score is at least 0.5.
 */
record Toy(String label, double score) {

    static Toy predict(int value) {
        double score = 1 / (1 + Math.exp(-(value - 50) / 10.0));
        return new Toy(score >= 0.5 ? "high" : "low", Math.round(score * 10_000) / 10_000.0);
    }
}
