package dev.mlpipe.model.onnx;

import java.util.List;
import java.util.Optional;

import dev.mlpipe.model.Prediction;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * How a model's output rows are read. {@code CLASSES}: the row is a score per class (a classifier's probabilities or
 * logits), so its argmax, as a string, is the prediction and the value there its score. {@code RAW}: the numbers are
 * only reported. Decided from the output's declared shape, a row of one dimension of at least 2 classes (an output
 * {@code [N, k]}, {@code k >= 2}) being a class vector, unless a setting says otherwise; {@code why} says which.
 */
@RegisterForReflection // listed by GET /api/models
public record OutputReading(Kind kind, String why) {

    public enum Kind {
        CLASSES,
        RAW
    }

    private static final String[] CLASS_NAMES = new String[256];

    static {
        for (int i = 0; i < CLASS_NAMES.length; i++) {
            CLASS_NAMES[i] = Integer.toString(i);
        }
    }

    /** The reading the output's declared shape suggests. */
    public static OutputReading of(ModelInfo info) {
        List<Long> row = info.outputRowShape();
        String shape = "output " + info.output().name() + " is " + info.output().shape();
        if (row.size() == 1 && row.get(0) >= 2) {
            return new OutputReading(Kind.CLASSES, shape + ": a score for each of " + row.get(0) + " classes, the "
                    + "highest the prediction");
        }
        return new OutputReading(Kind.RAW, shape + ": not one score per class (that would be [N, k], k >= 2), so "
                + "its numbers are reported as they are");
    }

    /** The reading a setting asks for ({@code setting} names it), or the suggested one when there is no setting. */
    public static OutputReading of(ModelInfo info, Optional<Kind> chosen, String setting) {
        return chosen.map(kind -> new OutputReading(kind, "set by " + setting)).orElseGet(() -> of(info));
    }

    /**
     * The prediction in a class vector: the argmax (the first, on a tie), its name and its score;
     * {@link Prediction#NONE} when reading raw.
     */
    public Prediction predict(float[] output) {
        int best = classOf(output);
        return best == Prediction.NOT_A_CLASS ? Prediction.NONE : new Prediction(className(best), output[best], best);
    }

    /** The predicted class's index: the argmax (the first, on a tie); {@link Prediction#NOT_A_CLASS} when reading raw. */
    public int classOf(float[] output) {
        if (kind == Kind.RAW || output.length == 0) {
            return Prediction.NOT_A_CLASS;
        }
        int best = 0;
        for (int i = 1; i < output.length; i++) {
            if (output[i] > output[best]) {
                best = i;
            }
        }
        return best;
    }

    /** A class's name, as a prediction: its index, one shared string for each of the first classes. */
    public static String className(int index) {
        return index < CLASS_NAMES.length ? CLASS_NAMES[index] : Integer.toString(index);
    }
}
