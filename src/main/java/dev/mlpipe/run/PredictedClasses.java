package dev.mlpipe.run;

/**
 * A tensor result's predicted class from its name, as a kept result holds it. The model stage names each class with
 * one string, so the name last seen at a hash is most often the same object, and a result parses no digits.
 * The appender's, under its run's lock.
 */
final class PredictedClasses {

    private final String[] names = new String[64];
    private final short[] classes = new short[64];

    /** @return the class a prediction names; -1 for none */
    short of(String prediction) {
        if (prediction == null) {
            return -1;
        }
        int at = prediction.hashCode() & (names.length - 1);
        if (names[at] != prediction) {
            classes[at] = (short) Integer.parseInt(prediction);
            names[at] = prediction;
        }
        return classes[at];
    }
}
