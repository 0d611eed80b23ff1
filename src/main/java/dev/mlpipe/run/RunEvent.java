package dev.mlpipe.run;

/**
 * One event of a run's stream, its data already JSON so that every client is served the same text without
 * serializing again. Ids grow in stream order: a result's id is its seq, the end's is one past the last seq loaded;
 * {@code stats} events have none (0), as they are not replayed.
 */
public record RunEvent(long id, String type, String data) {

    public static final String RESULT = "result";
    public static final String END = "end";
    public static final String STATS = "stats";

    public boolean isEnd() {
        return END.equals(type);
    }

    public boolean hasId() {
        return id > 0;
    }
}
