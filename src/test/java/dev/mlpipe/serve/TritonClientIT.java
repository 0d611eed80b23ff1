package dev.mlpipe.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.mlpipe.support.ServiceProcess;

/**
 * A real v2 client against the packaged jar: Triton's Java HTTP client (org.wyona.triton.client:java-api on Maven
 * Central, which the pom copies to target/triton-client) sends digits rows through bench/v2/TritonClientCheck.java, in
 * JSON and in binary tensors, and checks every answer against the golden file. Both to one service, started once.
 */
class TritonClientIT {

    private static final File CLIENT = new File("target/triton-client/triton-java-client.jar");

    private static ServiceProcess service;

    @BeforeAll
    static void start() {
        service = ServiceProcess.start("triton-client").awaitReady();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "json", "binary" })
    void tritonsOwnClientGetsTheGoldenDigits(String encoding) throws Exception {
        assertThat(CLIENT).as("copied by the pom before the integration tests").isFile();
        Process check = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                CLIENT.getPath(), "bench/v2/TritonClientCheck.java", "127.0.0.1:" + service.port(), encoding, "50"))
                .redirectErrorStream(true).start();
        assertThat(check.waitFor(120, TimeUnit.SECONDS)).as("the check ended").isTrue();
        String output = output(check);
        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output).contains("50 rows, every prediction as the golden file's");
    }

    private static String output(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
