package dev.mlpipe.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.ServiceProcess;

/**
 * The packaged service with a model file it cannot use: it refuses to start, in one sentence naming the setting (after
 * the warning that it is open to this machine, which a start without an account prints first).
 */
class ModelFileIT {

    @Test
    void aMissingModelFileRefusesTheStartInOneSentence() throws Exception {
        try (ServiceProcess app = ServiceProcess.start("model-missing",
                "mlpipe.models.digits.path=/nowhere/digits.onnx")) {
            assertThat(app.process().waitFor(90, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(app.process().exitValue()).isNotZero();
            String log = app.log();
            assertThat(log).as(log).contains("mlpipe.models.digits.path (MLPIPE_MODELS_DIGITS_PATH)",
                    "/nowhere/digits.onnx does not exist").doesNotContain("Exception", "\tat ");
            assertThat(log.strip().lines().filter(line -> line.contains("mlpipe.models."))).as(log).hasSize(1);
        }
    }

    @Test
    void aFileThatIsNotAnOnnxModelRefusesTheStart() throws Exception {
        java.nio.file.Path notAModel = java.nio.file.Files.createTempFile("not-a-model", ".onnx");
        java.nio.file.Files.writeString(notAModel, "label,f0\n1,2\n");
        try (ServiceProcess app = ServiceProcess.start("model-not-onnx", "mlpipe.models.extra.path=" + notAModel)) {
            assertThat(app.process().waitFor(90, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(app.process().exitValue()).isNotZero();
            String log = app.log();
            assertThat(log).as(log).contains("mlpipe.models.extra.path (MLPIPE_MODELS_EXTRA_PATH)",
                    "not an ONNX model").doesNotContain("\tat ");
            assertThat(log.strip().lines().filter(line -> line.contains("mlpipe.models."))).as(log).hasSize(1);
        } finally {
            java.nio.file.Files.deleteIfExists(notAModel);
        }
    }

    @Test
    void aRetiredKeyRefusesTheStartNamingTheKeyThatTookItsPlace() throws Exception {
        try (ServiceProcess app = ServiceProcess.start("model-retired-key", "mlpipe.queue.capacity=64")) {
            assertThat(app.process().waitFor(90, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(app.process().exitValue()).isNotZero();
            String log = app.log();
            assertThat(log).as(log).contains("mlpipe.queue.capacity (MLPIPE_QUEUE_CAPACITY) is retired: set "
                    + "mlpipe.models.simulated.capacity (MLPIPE_MODELS_SIMULATED_CAPACITY) instead")
                    .doesNotContain("\tat ");
        }
    }

    @Test
    void aRemoteModelWithoutAUsableUrlRefusesTheStartNamingTheKeyButNotTheUrl() throws Exception {
        try (ServiceProcess app = ServiceProcess.start("model-v2-url", "mlpipe.models.far.backend=v2",
                "mlpipe.models.near.backend=v2", "mlpipe.models.near.url=ftp://op:secret-pw@host/x")) {
            assertThat(app.process().waitFor(90, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(app.process().exitValue()).isNotZero();
            String log = app.log();
            assertThat(log).as(log).contains("mlpipe.models.far.url (MLPIPE_MODELS_FAR_URL) is not set",
                    "mlpipe.models.near.url (MLPIPE_MODELS_NEAR_URL) is not usable: it must be an http:// or https://")
                    .doesNotContain("\tat ", "secret-pw");
        }
    }
}
