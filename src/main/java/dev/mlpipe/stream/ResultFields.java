package dev.mlpipe.stream;

import java.util.Arrays;
import java.util.List;

/**
 * Which fields of a result a client asked for ({@code ?fields=seq,value}); by default all of them. A client that needs
 * four fields gets events a quarter the size.
 */
public final class ResultFields {

    /** Every field of a result, in the order they are written. */
    public static final List<String> ALL = List.of("runId", "seq", "value", "prediction", "score", "queueDepth",
            "loadedUs", "enqueuedUs", "dequeuedUs", "startedUs", "finishedUs", "worker", "batchId",
            "batchSize", "loaderWaitMs", "queueWaitMs", "batchWaitMs", "inferenceMs", "totalMs");

    /**
     * The fields a tensor model's result has besides {@link #ALL} (which it has but {@code value}): {@code input} and
     * {@code outputs} only when asked for by name, as they are the longest.
     */
    public static final List<String> TENSOR = List.of("row", "label", "correct", "input", "outputs");
    static final int ROW = 19; // ALL.size(), as a constant for the writer's switch
    static final int LABEL = ROW + 1;
    static final int CORRECT = ROW + 2;
    static final int INPUT = ROW + 3;
    static final int OUTPUTS = ROW + 4;
    private static final List<String> KNOWN = java.util.stream.Stream.concat(ALL.stream(), TENSOR.stream()).toList();

    static {
        if (ALL.size() != ROW) {
            throw new IllegalStateException("ROW must be ALL.size()");
        }
    }

    static final ResultFields EVERY = new ResultFields((1 << CORRECT + 1) - 1);

    private final int mask;

    private ResultFields(int mask) {
        this.mask = mask;
    }

    /**
     * @param list the query parameter: field names separated by commas, or null for all
     * @throws IllegalArgumentException naming the rule broken
     */
    public static ResultFields parse(String list) {
        if (list == null) {
            return EVERY;
        }
        int mask = 0;
        for (String name : list.split(",", -1)) {
            int index = KNOWN.indexOf(name.strip());
            if (index < 0) {
                throw new IllegalArgumentException(name.isBlank()
                        ? "must be result field names separated by commas, with none empty; known fields: " + known()
                        : "holds \"" + shorten(name) + "\", which is not a field of a result; known fields: " + known());
            }
            mask |= 1 << index;
        }
        return new ResultFields(mask);
    }

    boolean has(int field) {
        return (mask & (1 << field)) != 0;
    }

    private static String known() {
        return String.join(", ", KNOWN);
    }

    private static String shorten(String name) {
        String plain = name.codePoints().filter(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return plain.length() > 40 ? plain.substring(0, 40) + "..." : plain;
    }

    @Override
    public String toString() {
        return Arrays.toString(KNOWN.stream().filter(f -> has(KNOWN.indexOf(f))).toArray());
    }
}
