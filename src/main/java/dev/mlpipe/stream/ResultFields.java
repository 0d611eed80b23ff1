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

    static final ResultFields EVERY = new ResultFields((1 << ALL.size()) - 1);

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
            int index = ALL.indexOf(name.strip());
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
        return String.join(", ", ALL);
    }

    private static String shorten(String name) {
        String plain = name.codePoints().filter(c -> c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return plain.length() > 40 ? plain.substring(0, 40) + "..." : plain;
    }

    @Override
    public String toString() {
        return Arrays.toString(ALL.stream().filter(f -> has(ALL.indexOf(f))).toArray());
    }
}
