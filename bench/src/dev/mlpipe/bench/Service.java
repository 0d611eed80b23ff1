package dev.mlpipe.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Quarkus application under test, started from its packaged jar on free ports on 127.0.0.1, stopped with SIGTERM:
 * mlpipe, or scenario 6r's reference application. {@link #readyMillis} is from starting the process to the first 200
 * on {@code /q/health/ready} (management port).
 */
final class Service implements AutoCloseable {

    /**
     * How to start it.
     *
     * @param settings system properties (mlpipe's settings, for a scenario that changes them)
     * @param jvmOptions the JVM's options; none is plain {@code java -jar}
     * @param fromAppDir started from inside the application directory, as {@code java -jar quarkus-run.jar}: the
     *        class-data archive holds only so
     */
    record Setup(Map<String, String> settings, List<String> jvmOptions, boolean fromAppDir) {

        /**
         * mlpipe on this machine only, open without a password (README.md, "Security"), so its metrics ask for no
         * account: the benchmark is one client (127.0.0.1) that may take all, 1,000 streams on one run in scenario 4;
         * runs kept are few, so one run's results do not weigh on the next.
         */
        static Setup mlpipe(Map<String, String> settings, List<String> jvmOptions) {
            Map<String, String> all = new LinkedHashMap<>(settings);
            Map.of("quarkus.log.level", "WARN", "mlpipe.runs.retained", "4", "mlpipe.limits.runs-per-client", "100",
                    "mlpipe.limits.streams-per-client", "2000", "mlpipe.limits.runs-per-address", "100",
                    "mlpipe.limits.streams-per-address", "2000", "mlpipe.limits.model-time-per-client", "10000h",
                    "mlpipe.limits.connections-per-address", "2000")
                    .forEach(all::putIfAbsent);
            return new Setup(all, jvmOptions, false);
        }

        /** mlpipe as the documentation says to start it, with these JVM options: only its ports are the harness's. */
        static Setup asDocumented(List<String> jvmOptions, boolean fromAppDir) {
            return new Setup(Map.of(), jvmOptions, fromAppDir);
        }

        /** The reference application, plain {@code java -jar}. */
        static Setup reference() {
            return new Setup(Map.of(), List.of(), false);
        }
    }

    private final Process process;
    private final Client client;
    private final double readyMillis;

    private Service(Process process, Client client, double readyMillis) {
        this.process = process;
        this.client = client;
        this.readyMillis = readyMillis;
    }

    static Service start(Path jar, Setup setup) throws Exception {
        // both sockets open at once: one closed before the next is chosen could be handed out again
        int port;
        int managementPort;
        try (ServerSocket first = new ServerSocket(0); ServerSocket second = new ServerSocket(0)) {
            port = first.getLocalPort();
            managementPort = second.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(Host.java()));
        cmd.addAll(setup.jvmOptions());
        cmd.addAll(List.of("-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort));
        setup.settings().forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.addAll(List.of("-jar", setup.fromAppDir() ? jar.getFileName().toString() : jar.toString()));
        File log = new File("target/bench/service.log").getAbsoluteFile();
        ProcessBuilder builder = Host.jvm(cmd).redirectErrorStream(true).redirectOutput(log);
        if (setup.fromAppDir()) {
            builder.directory(jar.getParent().toFile());
        }
        Client client = new Client(port, managementPort);
        long began = System.nanoTime();
        Process process = builder.start();
        while (!client.ready()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the service exited; see " + log);
            }
            if (System.nanoTime() - began > 60_000_000_000L) {
                process.destroyForcibly();
                throw new IllegalStateException("the service did not get ready in 60 s; see " + log);
            }
            Thread.sleep(5);
        }
        double ms = (System.nanoTime() - began) / 1e6;
        Bench.log("  %s %s%s%s ready in %.0f ms", jar, setup.settings().isEmpty() ? "" : setup.settings() + " ",
                setup.jvmOptions().isEmpty() ? "(plain java -jar)" : setup.jvmOptions(),
                setup.fromAppDir() ? " from its directory" : "", ms);
        return new Service(process, client, ms);
    }

    Client client() {
        return client;
    }

    double readyMillis() {
        return readyMillis;
    }

    double rssMb() throws IOException {
        return Host.rssMb(process.pid());
    }

    /** Heap in use right after a full collection, read with the JDK's own tools. */
    double heapUsedAfterGcMb() throws Exception {
        String pid = Long.toString(process.pid());
        Host.tool("jcmd", pid, "GC.run");
        String[] lines = Host.tool("jstat", "-gc", pid).trim().split("\n");
        String[] names = lines[0].trim().split("\\s+");
        String[] values = lines[1].trim().split("\\s+");
        double kb = 0;
        for (int i = 0; i < names.length; i++) {
            if (List.of("S0U", "S1U", "EU", "OU").contains(names[i])) {
                kb += Double.parseDouble(values[i]);
            }
        }
        return kb / 1024;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
