package dev.mlpipe.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.ServiceProcess;

/**
 * The packaged service started as production starts it (README.md, "Production": the class-data archive and the
 * recommended options, a password set) says nothing an operator must worry about; a start it refuses is one paragraph
 * naming what to set, without a stack trace.
 */
class QuietStartIT {

    @Test
    void aProductionStartWithAPasswordLogsNoWarningOrError() throws Exception {
        ServiceProcess app = ServiceProcess.start("quiet-start", "mlpipe.auth.operator-password=quiet-pass-3");
        try {
            app.awaitReady();
            assertThat(app.probe("/q/metrics", "viewer", "quiet-pass-3").statusCode()).isEqualTo(200);
        } finally {
            app.process().destroy(); // SIGTERM: what a shutdown logs counts too
            assertThat(app.process().waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
        }
        String log = app.log();
        assertThat(log).as("a start that got ready").contains("started in");
        assertThat(log.lines().filter(QuietStartIT::warnsOrFails)).as(log).isEmpty();
    }

    @Test
    void withoutAPasswordOnEveryInterfaceItRefusesInOneParagraph() throws Exception {
        try (ServiceProcess app = ServiceProcess.start("quiet-refusal", "quarkus.http.host=0.0.0.0")) {
            String log = refused(app);
            assertThat(log).contains("without credentials", "MLPIPE_AUTH_OPERATOR_PASSWORD", "MLPIPE_AUTH_ENABLED=false");
            assertThat(log.strip().lines()).as(log).hasSize(1);
        }
    }

    @Test
    void aSettingOutOfItsRangeIsRefusedNamingItWithoutAStackTrace() throws Exception {
        try (ServiceProcess app = ServiceProcess.start("quiet-range", "mlpipe.models.simulated.capacity=0",
                "mlpipe.auth.operator-password=quiet-pass-3")) {
            assertThat(refused(app)).contains("mlpipe.models.simulated.capacity (MLPIPE_MODELS_SIMULATED_CAPACITY) is 0: it must be from 1");
        }
    }

    /** What a refused start wrote: it exited with a failure, and without a stack trace. */
    private static String refused(ServiceProcess app) throws Exception {
        await().atMost(Duration.ofSeconds(90)).until(() -> !app.process().isAlive());
        assertThat(app.process().exitValue()).isNotZero();
        String log = app.log();
        assertThat(log).as(log).doesNotContain("\tat ", "Caused by", "Exception");
        assertThat(log.lines().filter(QuietStartIT::warnsOrFails)).as(log).isEmpty();
        return log;
    }

    /** A log line at WARN or ERROR, Quarkus' or the JVM's own ([warning] from the class-data archive, for one). */
    private static boolean warnsOrFails(String line) {
        return line.contains(" WARN ") || line.contains(" ERROR ") || line.contains("[warning]")
                || line.contains("[error]");
    }
}
