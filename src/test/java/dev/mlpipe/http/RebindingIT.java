package dev.mlpipe.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.RawConnection;
import dev.mlpipe.support.ServiceProcess;

/**
 * The packaged service open to this machine (no password, 127.0.0.1), as a rebinding page reaches it: its own name in
 * {@code Host} and {@code Origin}, which the cross-origin check takes for the service's own. Refused, and the open
 * mode says at start that it is a risk; a viewer password alone does not leave it open.
 */
class RebindingIT {

    private static final String SPEC = "{\"maxItems\":1,\"inferenceMs\":0}";

    private static RawConnection.Answer post(ServiceProcess app, String host, String... headers) {
        StringBuilder request = new StringBuilder("POST /api/runs HTTP/1.1\r\nHost: " + host + "\r\nOrigin: http://"
                + host + "\r\nContent-Type: application/json\r\nContent-Length: " + SPEC.length() + "\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        try (RawConnection connection = RawConnection.open("127.0.0.1", app.port())) {
            return connection.send(request.append("\r\n").append(SPEC).toString()).answer();
        }
    }

    @Test
    void openToThisMachineARebindingPageIsRefusedAndTheStartWarnsOfTheRisk() throws Exception {
        try (ServiceProcess app = ServiceProcess.start("rebinding-open").awaitReady()) {
            RawConnection.Answer rebound = post(app, "rebind.attacker.example:" + app.port());
            assertThat(rebound.status()).isEqualTo(421);
            assertThat(rebound.body()).contains("mlpipe.http.allowed-hosts");
            assertThat(app.json("/api/runs").getList("id")).as("nothing started").isEmpty();

            assertThat(post(app, "localhost:" + app.port()).status()).isEqualTo(201);
            assertThat(post(app, "127.0.0.1:" + app.port()).status()).isEqualTo(201);
            assertThat(app.log()).containsPattern("WARN .*Open to this machine only");
        }
    }

    @Test
    void listedHostsAreTheOnlyOnesAnsweredWithAPasswordToo() throws Exception {
        try (ServiceProcess app = ServiceProcess.start("rebinding-listed", "mlpipe.auth.operator-password=op-pass-9",
                "mlpipe.http.allowed-hosts=mlpipe.example").awaitReady()) {
            String basic = "Authorization: Basic " + Base64.getEncoder().encodeToString("operator:op-pass-9"
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(post(app, "mlpipe.example:" + app.port(), basic).status()).isEqualTo(201);
            assertThat(post(app, "localhost:" + app.port(), basic).status()).isEqualTo(421);
        }
    }

    @Test
    void aViewerPasswordWithoutAnOperatorOneRefusesTheStartInOneSentence() throws Exception {
        try (ServiceProcess app = ServiceProcess.start("rebinding-viewer-only", "mlpipe.auth.viewer-password=view-pass-9")) {
            await().atMost(Duration.ofSeconds(90)).until(() -> !app.process().isAlive());
            assertThat(app.process().exitValue()).isNotZero();
            assertThat(app.log().strip().lines()).as(app.log()).hasSize(1).first().asString()
                    .contains("MLPIPE_AUTH_VIEWER_PASSWORD is set but MLPIPE_AUTH_OPERATOR_PASSWORD is not");
        }
    }
}
