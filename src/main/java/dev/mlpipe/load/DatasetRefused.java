package dev.mlpipe.load;

/**
 * A dataset name that names no dataset mlpipe will read: the {@code rule} it breaks, which the HTTP edge reports under
 * the field that gave the name.
 */
public final class DatasetRefused extends RuntimeException {

    private final String rule;

    DatasetRefused(String rule) {
        super("dataset " + rule, null, false, false);
        this.rule = rule;
    }

    public String rule() {
        return rule;
    }
}
