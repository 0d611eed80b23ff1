package dev.mlpipe.bench;

import java.util.List;
import java.util.stream.Collectors;

/**
 * One line of the table: what mlpipe did, what the baseline did in the same run, their ratio (of like quantities
 * only, or "-"), and the targets, which decide whether it is met.
 */
record Row(String id, String what, List<Target> targets, String mlpipe, String baseline, String ratio) {

    String target() {
        return targets.isEmpty() ? "(measured)" : targets.stream().map(Target::text).collect(Collectors.joining(", "));
    }

    String met(Measurements m) {
        if (targets.isEmpty()) {
            return "-";
        }
        return targets.stream().allMatch(t -> t.met(m)) ? "yes" : "**no**";
    }
}
