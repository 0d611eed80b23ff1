package dev.mlpipe.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Runs the scenarios of bench/README.md {@code --repeats} times against the packaged service, each baseline in the
 * same repeat, and writes the table between BENCHMARKS.md's bench markers; with {@code --only}, one group, printed.
 * Started by bench/run.sh, which builds what this needs.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Scenarios.owners(); // fails at once on a figure named twice or read but never measured
        if (!Files.exists(options.jar())) {
            throw new IllegalStateException("no " + options.jar() + ": package mlpipe first (bench/run.sh does)");
        }
        JvmOptions jvm = JvmOptions.fromDocs(Path.of("").toAbsolutePath());
        List<Scenario> plan = options.only() == null ? Scenarios.ALL : Scenarios.plan(options.only());
        log("the production command's JVM options, from %s: %s", jvm.source(), String.join(" ", jvm.production()));
        Measurements m = new Measurements();
        String loadBefore = Host.load();
        for (int r = 1; r <= options.repeats(); r++) {
            log("repeat %d of %d", r, options.repeats());
            Harness harness = new Harness(options, jvm, r);
            for (Scenario s : plan) {
                log(" scenario %s", s.id());
                s.measure(harness, m);
            }
        }
        Report report = new Report(options, jvm, plan, m, loadBefore, Host.load());
        if (options.only() == null) {
            report.write();
        } else {
            m.medians().forEach(Bench::log);
            log("%n%s", report.table());
        }
    }

    static void log(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
