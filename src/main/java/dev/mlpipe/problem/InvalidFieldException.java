package dev.mlpipe.problem;

/** A rule that spans fields (or needs the defaults) was broken; answered as a 400 problem naming the field. */
public class InvalidFieldException extends RuntimeException {

    private final String field;
    private final String rule;

    public InvalidFieldException(String field, String rule) {
        super(field + " " + rule, null, false, false);
        this.field = field;
        this.rule = rule;
    }

    public String field() {
        return field;
    }

    public String rule() {
        return rule;
    }
}
