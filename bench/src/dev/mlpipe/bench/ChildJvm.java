package dev.mlpipe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A JVM of the harness's own classes that measures something in itself (the baseline, the design card's construct),
 * one command at a time: the harness writes a line ("throughput 1000000 10 one-thread"), the child answers with the
 * figures, separated by spaces. So a warm-up rule drives a child as it drives the service: run by run, from outside.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final PrintWriter in;
    private final BufferedReader out;

    private ChildJvm(Process process) {
        this.process = process;
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** A child with these JVM options (the service's), running {@code main}, a class of this package. */
    static ChildJvm start(List<String> jvmOptions, Class<?> main) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Host.java()));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        return new ChildJvm(Host.jvm(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    double[] ask(Object... command) throws IOException {
        in.println(String.join(" ", Arrays.stream(command).map(String::valueOf).toList()));
        String answer = out.readLine();
        if (answer == null || answer.startsWith("error")) {
            throw new IllegalStateException("the child answered " + Arrays.toString(command) + " with " + answer);
        }
        return Arrays.stream(answer.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
    }

    /** Whether the child's heap has been collected in full since it started (its old generation's collector). */
    boolean heapFilled() throws IOException {
        return ask("full-collections")[0] > 0;
    }

    /** A command that answers one figure, as a side a warm-up rule drives. */
    Side side(Figure figure, Object... command) {
        return new Side() {
            @Override
            public Map<Figure, Double> run() throws Exception {
                return Map.of(figure, ask(command)[0]);
            }

            @Override
            public boolean heapFilled() throws Exception {
                return ChildJvm.this.heapFilled();
            }
        };
    }

    @Override
    public void close() throws Exception {
        in.close();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    /**
     * The child's side: answers each command line with what {@code commands} returns, until its input ends. Nothing
     * else may print to standard output.
     */
    static void serve(Function<String[], double[]> commands) throws IOException {
        PrintStream answers = System.out;
        System.setOut(System.err);
        BufferedReader lines = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = lines.readLine()) != null;) {
            String[] words = line.trim().split(" ");
            double[] figures;
            if (words[0].equals("full-collections")) {
                figures = new double[] { fullCollections() };
            } else {
                try {
                    figures = commands.apply(words);
                } catch (RuntimeException e) {
                    answers.println("error " + e);
                    answers.flush();
                    continue;
                }
            }
            answers.println(String.join(" ", Arrays.stream(figures).mapToObj(Double::toString).toList()));
            answers.flush();
        }
    }

    /** The old generation's collections: the serial collector's MarkSweepCompact (G1's "Old Generation"). */
    private static long fullCollections() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .filter(gc -> gc.getName().contains("MarkSweep") || gc.getName().contains("Old"))
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionCount).sum();
    }
}
