package dev.mlpipe.bench;

import java.nio.file.Path;

/**
 * The command line of bench/run.sh.
 *
 * @param only a group of scenarios or one scenario's id: runs those alone and prints their medians and rows, leaving
 *        BENCHMARKS.md alone
 * @param reference the minimal Quarkus application scenario 6r starts
 */
record Options(int repeats, boolean smoke, Path out, String command, Path jar, String only, Path reference) {

    static Options parse(String[] args) {
        int repeats = 5;
        boolean smoke = false;
        Path out = Path.of("BENCHMARKS.md");
        String command = "bench/run.sh";
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        String only = null;
        Path reference = Path.of("bench/hello/target/quarkus-app/quarkus-run.jar");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--smoke" -> smoke = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--command" -> command = args[++i];
                case "--jar" -> jar = Path.of(args[++i]);
                case "--only" -> only = args[++i];
                case "--reference" -> reference = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; bench/README.md lists the options");
            }
        }
        return new Options(repeats, smoke, out, command, jar.toAbsolutePath(), only, reference.toAbsolutePath());
    }

    /** Items of the runs at inferenceMs 0 (scenarios 1, 1b, 2, 7, card). */
    int items() {
        return smoke ? 100_000 : 1_000_000;
    }
}
