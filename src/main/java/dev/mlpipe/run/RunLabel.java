package dev.mlpipe.run;

import java.util.List;

/**
 * What a person tells a run by, beside its id: the name and tags its spec gave, and the sweep that started it. Shown
 * with the run and matched by {@code GET /api/runs?tag=&sweep=}; the pipeline never reads it.
 *
 * @param name null for none
 * @param tags empty for none
 * @param sweepId null for a run not started by a sweep
 */
public record RunLabel(String name, List<String> tags, String sweepId) {

    public static final RunLabel NONE = new RunLabel(null, List.of(), null);

    public RunLabel {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** The name and tags {@code request} gives, for a run {@code sweepId} starts (null: none). */
    static RunLabel of(RunRequest request, String sweepId) {
        return new RunLabel(request.name(), request.tags(), sweepId);
    }
}
