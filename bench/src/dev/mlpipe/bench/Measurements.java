package dev.mlpipe.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Every value measured in one run of the harness, by figure, in the order measured: those that count and those
 * discarded (a warm-up, a run before the heap was steady), each discarded one with why. The report lists them all.
 */
final class Measurements {

    /** One value; {@code discarded} is null when it counts. */
    record Entry(double value, String discarded) {
    }

    private final Map<Figure, List<Entry>> entries = new LinkedHashMap<>();

    void add(Figure figure, double value) {
        entries.computeIfAbsent(figure, f -> new ArrayList<>()).add(new Entry(value, null));
        Bench.log("    %s: %s", figure.name(), figure.format(value));
    }

    void discard(Figure figure, double value, String why) {
        entries.computeIfAbsent(figure, f -> new ArrayList<>()).add(new Entry(value, why));
        Bench.log("    %s: %s (not counted: %s)", figure.name(), figure.format(value), why);
    }

    List<Double> counted(Figure figure) {
        return entries.getOrDefault(figure, List.of()).stream().filter(e -> e.discarded() == null)
                .map(Entry::value).toList();
    }

    boolean has(Figure figure) {
        return !counted(figure).isEmpty();
    }

    /** The median of the counted values; NaN if there is none. */
    double median(Figure figure) {
        double[] v = counted(figure).stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** The median with its unit, or "-" if nothing counted. */
    String show(Figure figure) {
        return has(figure) ? figure.format(median(figure)) : "-";
    }

    /** The median without its unit, or "-". */
    String number(Figure figure) {
        return has(figure) ? figure.number(median(figure)) : "-";
    }

    /** One median over another as "1.23x"; only of like quantities, and "-" where either is missing. */
    String ratio(Figure figure, Figure over) {
        requireLike(figure, over);
        if (!has(figure) || !has(over)) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2fx", median(figure) / median(over));
    }

    static void requireLike(Figure figure, Figure over) {
        if (figure.unit() != over.unit()) {
            throw new IllegalArgumentException("a ratio of unlike quantities: " + figure.name() + " (" + figure.unit()
                    + ") over " + over.name() + " (" + over.unit() + ")");
        }
    }

    /**
     * Each figure with all its values in the order measured, without the unit (given once), in groups separated by
     * semicolons: values that count, or values discarded for one reason, which the group ends with.
     */
    List<String> everyMeasurement() {
        List<String> lines = new ArrayList<>();
        entries.forEach((figure, list) -> {
            StringBuilder line = new StringBuilder("`" + figure.name() + "`");
            String unit = figure.unit().symbol;
            line.append(unit.isEmpty() ? ": " : " (" + unit + "): ");
            for (int i = 0; i < list.size(); i++) {
                Entry e = list.get(i);
                boolean firstOfGroup = i == 0 || !Objects.equals(list.get(i - 1).discarded(), e.discarded());
                boolean lastOfGroup = i + 1 == list.size()
                        || !Objects.equals(list.get(i + 1).discarded(), e.discarded());
                line.append(i == 0 ? "" : firstOfGroup ? "; " : ", ").append(figure.number(e.value()));
                if (e.discarded() != null && lastOfGroup) {
                    line.append(" (not counted: ").append(e.discarded()).append(')');
                }
            }
            lines.add(line.toString());
        });
        return lines;
    }

    /** The median of each figure and the values it is of, for a run of one group. */
    List<String> medians() {
        List<String> lines = new ArrayList<>();
        entries.forEach((figure, list) -> lines.add(String.format(Locale.ROOT, "median %s: %s (of %s)", figure.name(),
                show(figure), counted(figure).stream().map(figure::number).collect(Collectors.joining(", ")))));
        return lines;
    }
}
