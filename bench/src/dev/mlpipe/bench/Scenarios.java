package dev.mlpipe.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every scenario, in the table's order; {@code --only}'s groups are theirs. */
final class Scenarios {

    static final List<Scenario> ALL = List.of(new InProcessThroughput(), new SteadyBatchThroughput(),
            new FollowedRun(), Efficiency.ONE_SLOT, Efficiency.EIGHT_SLOTS, new BatchEfficiency(), new FanOut(),
            new Overhead(), StartUp.PLAIN, StartUp.RECOMMENDED, StartUp.PRODUCTION, new ReferenceStart(),
            new KeptRun(), new ModelThroughput(), new ModelOverhead(), new KeptTensorRun(),
            new CardConstruct());

    private Scenarios() {
    }

    /** The groups {@code --only} takes, in order. */
    static List<String> groups() {
        return ALL.stream().map(Scenario::group).distinct().toList();
    }

    /**
     * The scenarios of a group (or the one with that id), and those whose figures they divide by, in the table's
     * order.
     */
    static List<Scenario> plan(String only) {
        Map<Figure, Scenario> owners = owners();
        Set<Scenario> chosen = new LinkedHashSet<>();
        List<Scenario> pending = new ArrayList<>(ALL.stream()
                .filter(s -> s.group().equals(only) || s.id().equals(only)).toList());
        if (pending.isEmpty()) {
            throw new IllegalArgumentException("no scenario group or id " + only + "; groups: "
                    + String.join(", ", groups()));
        }
        while (!pending.isEmpty()) {
            Scenario s = pending.remove(0);
            if (chosen.add(s)) {
                s.reads().forEach(f -> pending.add(owners.get(f)));
            }
        }
        return ALL.stream().filter(chosen::contains).toList();
    }

    /** Which scenario measures each figure; fails if a name is used twice or a figure read is measured by none. */
    static Map<Figure, Scenario> owners() {
        Map<Figure, Scenario> owners = new HashMap<>();
        Set<String> names = new LinkedHashSet<>();
        for (Scenario s : ALL) {
            for (Figure f : s.figures()) {
                if (!names.add(f.name())) {
                    throw new IllegalStateException("two figures are named " + f.name());
                }
                owners.put(f, s);
            }
        }
        for (Scenario s : ALL) {
            for (Figure f : s.reads()) {
                if (!owners.containsKey(f)) {
                    throw new IllegalStateException(s.id() + " reads " + f.name() + ", which no scenario measures");
                }
            }
        }
        return owners;
    }
}
