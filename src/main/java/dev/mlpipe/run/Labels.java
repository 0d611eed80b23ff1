package dev.mlpipe.run;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A tensor run's distinct dataset labels, numbered from 0 as they first come: a result keeps its label's number, and
 * the run's accuracy counts by it, so a result's label is looked up once. Labels are few (a classifier's classes);
 * past {@link #MAX} distinct ones a label gets no number. Numbered by the appender under its run's lock; readers read
 * {@link #name} without a lock, the names being replaced whole before a result that uses a new one is published.
 */
final class Labels {

    /** The most distinct labels numbered: a kept result holds its label's number in a short. */
    static final int MAX = Short.MAX_VALUE;

    private final Map<String, Integer> index = new HashMap<>();
    private volatile String[] names = new String[0];

    /** @return the label's number; -1 for none, or when {@link #MAX} others came first */
    int indexOf(String label) {
        if (label == null) {
            return -1;
        }
        Integer known = index.get(label);
        if (known != null) {
            return known;
        }
        String[] now = names;
        if (now.length >= MAX) {
            return -1;
        }
        String[] more = Arrays.copyOf(now, now.length + 1);
        more[now.length] = label;
        index.put(label, now.length);
        names = more;
        return now.length;
    }

    /** @return the label's number if it has one already, else -1 (it is not numbered by asking) */
    int numbered(String label) {
        Integer known = index.get(label);
        return known == null ? -1 : known;
    }

    /** How many labels are numbered. */
    int size() {
        return names.length;
    }

    /** The label numbered {@code at}: a number {@link #indexOf} gave. */
    String name(int at) {
        return names[at];
    }
}
