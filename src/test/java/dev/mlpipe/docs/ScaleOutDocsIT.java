package dev.mlpipe.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mlpipe.broker.DeadLetters;
import dev.mlpipe.queue.Item;
import dev.mlpipe.support.Rabbit;
import dev.mlpipe.support.RabbitRequired;
import dev.mlpipe.support.ServiceProcess;

/**
 * docs/scale-out.md's two processes on one machine, started from its {@code ```sh scale-out test} block as written,
 * against the packaged jar and the RabbitMQ on 127.0.0.1:5672, then its dead letters block, in the same shell, with one
 * dead letter in the queue. Two things differ from a reader's terminal, so that parallel test runs do not meet: the
 * ports (8080, 9000, 8081, 9001 become free ones, the api's defaults through the environment) and the broker namespace
 * (a fresh one, from the environment; {@code mlpipe.dead} in a command becomes its dead letters queue). DocsIT cannot
 * run it: its blocks run against one service it has started.
 */
@RabbitRequired
class ScaleOutDocsIT {

    static final String MARKER = "sh scale-out test";

    private final String namespace = "mlpipe-docs-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void cleanUp() throws IOException {
        try (Rabbit rabbit = Rabbit.connect()) {
            // the processes' own results queues expire by themselves (mlpipe.broker.outage-limit after they stop)
            rabbit.delete(namespace + ".results", namespace + ".items.simulated", namespace + ".items.digits",
                    namespace + ".dead");
        }
    }

    @Test
    void theScaleOutCommandsStartAWorkerAndAnApiOnOneMachineAndRunThroughThem() throws Exception {
        MarkdownFile doc = MarkdownFile.read(DocsTest.ROOT, DocsTest.ROOT.resolve("docs/scale-out.md"));
        List<MarkdownFile.Block> blocks = doc.blocks().stream().filter(b -> b.info().equals(MARKER)).toList();
        assertThat(blocks).as("docs/scale-out.md's ```" + MARKER + " blocks").isNotEmpty();
        int[] free = ServiceProcess.freePorts(4);
        Map<String, String> ports = Map.of(
                "8080", Integer.toString(free[0]),
                "9000", Integer.toString(free[1]),
                "8081", Integer.toString(free[2]),
                "9001", Integer.toString(free[3]));
        // the api's ports are its defaults, 8080 and 9000, written nowhere in its command: the environment moves them
        // (a worker's -D settings win over it)
        try (Shell shell = new Shell(DocsTest.ROOT, Map.of("MLPIPE_BROKER_NAMESPACE", namespace,
                "QUARKUS_HTTP_PORT", ports.get("8080"), "QUARKUS_MANAGEMENT_PORT", ports.get("9000"),
                "RABBITMQ_HOST", Rabbit.HOST, "RABBITMQ_PORT", Integer.toString(Rabbit.PORT),
                "PATH", javaHome() + "/bin:" + System.getenv("PATH"),
                "NO_PROXY", "127.0.0.1,localhost", "no_proxy", "127.0.0.1,localhost"))) {
            for (MarkdownFile.Block block : blocks) {
                if (block.lines().stream().anyMatch(line -> line.contains("mlpipe.dead"))) {
                    if (!managementAnswers()) {
                        return; // said why, or failed in CI
                    }
                    // as a worker leaves an item its workers died on three times
                    Item item = new Item("0123456789ab", 7, 42, 0, 1, 0, 0, 0, 1, null);
                    DeadLetters.bury(namespace + ".dead", item, 3);
                }
                run(shell, block, ports);
            }
        }
    }

    private void run(Shell shell, MarkdownFile.Block block, Map<String, String> ports) throws Exception {
        for (MarkdownFile.Segment segment : block.segments()) {
            String commands = segment.commands().replace("mlpipe.dead", namespace + ".dead");
            for (Map.Entry<String, String> port : ports.entrySet()) {
                commands = commands.replaceAll("\\b" + port.getKey() + "\\b", port.getValue());
            }
            Optional<Shell.Result> result = shell.run(commands, Duration.ofSeconds(120));
            assertThat(result).as("docs/scale-out.md:%d finished within 120 s:\n%s", block.line(), commands)
                    .isPresent();
            assertThat(result.get().failed()).as("failed commands; it printed:\n%s", result.get().output())
                    .isEmpty();
            for (Pattern expected : segment.expected()) {
                assertThat(result.get().output()).as("after\n%s", commands).containsPattern(expected);
            }
        }
    }

    /**
     * The dead letters block's {@code rabbitmqadmin} needs RabbitMQ's management plugin (port 15672): without it, that
     * block is skipped with a line saying how to enable it, and fails in CI ({@code .ci/run} enables it).
     */
    private static boolean managementAnswers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(Rabbit.HOST, 15672), 2_000);
            return true;
        } catch (IOException closed) {
            String message = "RabbitMQ's management plugin does not answer on " + Rabbit.HOST + ":15672: enable "
                    + "it with `rabbitmq-plugins enable rabbitmq_management` to run docs/scale-out.md's dead letters "
                    + "block";
            if (System.getenv("CI") != null) {
                throw new AssertionError(message);
            }
            System.out.println("ScaleOutDocsIT skipped a block: " + message);
            return false;
        }
    }

    private static String javaHome() {
        return System.getProperty("java.home");
    }
}
