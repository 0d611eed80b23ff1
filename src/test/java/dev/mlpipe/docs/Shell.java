package dev.mlpipe.docs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One bash for one documentation file: its blocks run in it one after another, so they share variables and the working
 * directory as a reader's terminal does. A command that fails (a non-zero status, pipefail) is reported by an ERR trap;
 * stdout and stderr are read together.
 */
final class Shell implements AutoCloseable {

    /** What some commands printed, and those of them that failed. */
    record Result(String output, Set<String> failed) {
    }

    private final String token = UUID.randomUUID().toString().replace("-", "");
    private final String done = "docs-it-done-" + token;
    private final String failed = "docs-it-failed-" + token;
    private final Process process;
    private final Writer input;
    private final BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();

    Shell(Path directory, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder("bash", "--noprofile", "--norc").directory(directory.toFile())
                .redirectErrorStream(true);
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        input = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(this::read, "docs-shell-reader");
        reader.setDaemon(true);
        reader.start();
        send("""
                set -E -o pipefail
                docs_failed() { printf '\\n%%s %%s\\n' %s "${1//$'\\n'/ }" >&2; }
                trap 'docs_failed "$BASH_COMMAND"' ERR
                """.formatted(failed));
    }

    /**
     * Runs the commands (their stdin is /dev/null, so none of them reads the script) and returns what they printed, or
     * empty when they did not finish in time or the shell ended.
     */
    Optional<Result> run(String commands, Duration limit) throws InterruptedException {
        send("{\n" + commands + "\n} < /dev/null\nprintf '\\n%s\\n' " + done + "\n");
        List<String> output = new ArrayList<>();
        Set<String> failures = new LinkedHashSet<>();
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Optional<String> line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null || line.isEmpty()) {
                return Optional.empty();
            }
            String text = line.get();
            if (text.equals(done)) {
                break;
            }
            if (text.startsWith(failed + " ")) {
                failures.add(text.substring(failed.length() + 1));
            } else {
                output.add(text);
            }
        }
        // the markers start on a line of their own: drop the empty lines that put them there
        while (!output.isEmpty() && output.get(output.size() - 1).isEmpty()) {
            output.remove(output.size() - 1);
        }
        return Optional.of(new Result(String.join("\n", output), failures));
    }

    boolean alive() {
        return process.isAlive();
    }

    private void send(String script) {
        try {
            input.write(script);
            input.flush();
        } catch (IOException e) {
            // the shell has ended: run() reports it when no marker comes
        }
    }

    private void read() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(Optional.of(line));
            }
        } catch (IOException e) {
            // the process ended
        }
        lines.add(Optional.empty());
    }

    /** Ends the shell and whatever it started (a curl still streaming after a time limit). */
    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
}
