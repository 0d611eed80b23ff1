package dev.mlpipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.NamedUsers;
import dev.mlpipe.support.ServiceProcess;

/**
 * The packaged service as a user starts it in production: what it does with and without credentials. A start without
 * one, open to the network, is QuietStartIT's; signing in to the jar as shipped, ShippedJarIT's.
 */
class AccessIT {

    @Test
    void openOnPurposeSaysSoAtStart() throws Exception {
        try (ServiceProcess app = ServiceProcess.start("access-open", "mlpipe.auth.enabled=false").awaitReady()) {
            assertThat(app.get("/api/runs").statusCode()).isEqualTo(200);
            assertThat(app.log()).containsPattern("WARN .*mlpipe.auth.enabled=false");
        }
    }

    @Test
    void aShortOrBlankPasswordRefusesTheStartInOneParagraphWithoutQuotingIt() throws Exception {
        for (String password : new String[] { "abc-123", "   " }) {
            try (ServiceProcess app = ServiceProcess.start("access-weak", "mlpipe.auth.operator-password=" + password)) {
                assertThat(app.process().waitFor(90, java.util.concurrent.TimeUnit.SECONDS)).as("exited").isTrue();
                assertThat(app.process().exitValue()).isNotZero();
                String log = app.log();
                assertThat(log).as(log).contains("mlpipe.auth.operator-password (MLPIPE_AUTH_OPERATOR_PASSWORD)",
                        "at least 8 characters").doesNotContain("Exception", "\tat ", "SRCFG");
                assertThat(log.strip().lines()).as(log).hasSize(1);
                if (!password.isBlank()) {
                    assertThat(log).doesNotContain(password);
                }
            }
        }
    }

    @Test
    void aPasswordIsTakenAsWrittenNeitherExpandedNorTrimmed() throws Exception {
        String password = " pa ${HOME} ${no.such.variable} ss ";
        try (ServiceProcess app = ServiceProcess.start("access-literal", "mlpipe.auth.operator-password=" + password)
                .awaitReady()) {
            assertThat(app.get("/api/runs", "operator", password).statusCode()).isEqualTo(200);
            assertThat(app.get("/api/runs", "operator", password.strip()).statusCode()).isEqualTo(401);
            assertThat(app.get("/api/runs", "operator", " pa " + System.getenv("HOME") + "  ss ").statusCode())
                    .isEqualTo(401);
            assertThat(app.log()).doesNotContain("no.such.variable", "${HOME}");
        }
    }

    @Test
    void namedUsersSignInFromAnHtpasswdFileEachWithTheirRole() throws Exception {
        try (ServiceProcess app = ServiceProcess.start("access-users", "mlpipe.auth.users-file=" + NamedUsers.file())
                .awaitReady()) {
            assertThat(app.get("/api/runs").statusCode()).as("a users file alone asks for sign-in").isEqualTo(401);
            HttpResponse<String> created = app.post("/api/runs", "{\"maxItems\":3,\"inferenceMs\":0}", "alice",
                    NamedUsers.ALICE);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            HttpResponse<String> refused = app.post("/api/runs", "{}", "bob", NamedUsers.BOB);
            assertThat(refused.statusCode()).as("bob is a viewer").isEqualTo(403);
            assertThat(app.get("/api/runs", "bob", NamedUsers.BOB).statusCode()).isEqualTo(200);
            assertThat(app.get("/api/runs", "operator", "anything-at-all").statusCode()).isEqualTo(401);
        }
    }
}
