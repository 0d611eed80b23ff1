package dev.mlpipe.run;

import java.util.function.Function;

/**
 * One event of a run's stream. Ids grow in stream order: a result's id is its seq, the end's is one past the last seq
 * loaded; {@code stats} and {@code gap} events have none (0), as they are not replayed. The JSON data is made when a
 * client first needs it and then shared by all: a run nobody watches serializes nothing.
 */
public final class RunEvent {

    public static final String RESULT = "result";
    public static final String END = "end";
    public static final String STATS = "stats";

    private final long id;
    private final String type;
    private final Object payload;
    private final Function<Object, String> json;
    private volatile String data;

    RunEvent(long id, String type, Object payload, Function<Object, String> json) {
        this.id = id;
        this.type = type;
        this.payload = payload;
        this.json = json;
    }

    public long id() {
        return id;
    }

    public String type() {
        return type;
    }

    /** The payload as JSON; two threads asking at once may both serialize it, to the same text. */
    public String data() {
        String text = data;
        if (text == null) {
            text = json.apply(payload);
            data = text;
        }
        return text;
    }

    public boolean isEnd() {
        return END.equals(type);
    }

    public boolean hasId() {
        return id > 0;
    }
}
