package dev.mlpipe.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The machine: its JDK, its processes' memory, and what the report says about it. */
final class Host {

    private Host() {
    }

    /** The java that runs the harness; every process the harness starts uses it. */
    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /**
     * A process builder for a JVM that gets its options from its command line only: options a shell may set for every
     * JVM ({@code JAVA_TOOL_OPTIONS} and its kin) would change what is measured unseen.
     */
    static ProcessBuilder jvm(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"));
        return builder;
    }

    /** Runs one of the JDK's tools (jcmd, jstat) beside the java running this, and returns what it printed. */
    static String tool(String tool, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(java()).resolveSibling(tool).toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + output);
        }
        return output;
    }

    static double rssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    static String cpu() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
    }

    static String memory() throws IOException {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().map(l -> Math.round(Long.parseLong(l.replaceAll("[^0-9]", "")) / 1048576.0) + " GiB RAM")
                .orElse("unknown RAM");
    }

    /** The 1-minute load average: how busy the machine was, for the report. */
    static String load() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }
}
