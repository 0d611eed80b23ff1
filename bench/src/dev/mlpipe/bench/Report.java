package dev.mlpipe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/** The table of medians, with every measurement below it, as it goes between BENCHMARKS.md's markers. */
record Report(Options options, JvmOptions jvm, List<Scenario> scenarios, Measurements m, String loadBefore,
        String loadAfter) {

    static final String BEGIN = "<!-- bench:begin -->";
    static final String END = "<!-- bench:end -->";

    String table() {
        StringBuilder t = new StringBuilder();
        t.append("| # | scenario | target | mlpipe | baseline, same run | ratio | met |\n");
        t.append("|---|---|---|---|---|---|---|\n");
        for (Scenario s : scenarios) {
            for (Row row : s.rows(m)) {
                t.append(String.join(" | ", "| " + row.id(), row.what(), row.target(), row.mlpipe(), row.baseline(),
                        row.ratio(), row.met(m) + " |")).append('\n');
            }
        }
        return t.toString();
    }

    String section() throws IOException {
        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "Measured on %s: %s, %d cores, %s; JDK %s; load average %s at the start, "
                + "%s at the end. Medians of %d repeat(s) of every scenario in one run of `%s`%s. The service runs "
                + "with the production command's JVM options (`%s`, from %s), without the class-data archive but in 6c "
                + "and with none in 6a; every baseline runs in a JVM with the same options.%n%n", LocalDate.now(),
                Host.cpu(), Runtime.getRuntime().availableProcessors(), Host.memory(),
                System.getProperty("java.version"), loadBefore, loadAfter, options.repeats(), options.command(),
                options.smoke() ? " (smoke: smaller runs, not comparable)" : "", String.join(" ", jvm.production()),
                jvm.source()));
        t.append(table());
        t.append("\nEvery measurement, in run order (bench/README.md says which runs count and why):\n\n");
        m.everyMeasurement().forEach(line -> t.append("- ").append(line).append('\n'));
        return t.toString();
    }

    /** Replaces what is between the markers of {@code --out} (creating the file or the markers if need be). */
    void write() throws IOException {
        String section = section();
        String doc = Files.exists(options.out()) ? Files.readString(options.out())
                : "# Benchmarks\n\n" + BEGIN + "\n" + END + "\n";
        if (!doc.contains(BEGIN) || !doc.contains(END)) {
            doc = doc + "\n" + BEGIN + "\n" + END + "\n";
        }
        int from = doc.indexOf(BEGIN) + BEGIN.length();
        int to = doc.indexOf(END);
        Files.writeString(options.out(), doc.substring(0, from) + "\n" + section + doc.substring(to));
        Bench.log("%n%s", section);
        Bench.log("written to %s", options.out());
    }
}
