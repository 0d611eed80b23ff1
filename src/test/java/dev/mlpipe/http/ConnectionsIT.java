package dev.mlpipe.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.RawConnection;
import dev.mlpipe.support.ServiceProcess;

/**
 * The packaged service, signed in as in production, against strangers without a password who try to hold every
 * connection: each address gets no more than its cap, a stranger's connection makes room for an operator's, and a
 * connection that does not sign in is closed soon. The caps are lowered so that it runs in seconds.
 */
class ConnectionsIT {

    private static final String PASSWORD = "op-pass-9";
    private static final String BASIC = "Authorization: Basic "
            + Base64.getEncoder().encodeToString(("operator:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    private static final int MAX = 200;
    private static final int PER_ADDRESS = 20;
    /** Strangers on 127.0.0.2 to 127.0.0.11, each at its cap: every connection the service has. */
    private static final int STRANGERS = MAX / PER_ADDRESS;

    @Test
    void anOperatorGetsInWithinTwoSecondsWhileStrangersOnTenAddressesHoldEveryConnection() throws Exception {
        // timeouts far beyond the test, so that only admission can make room
        try (ServiceProcess app = ServiceProcess.start("connections-held", "mlpipe.auth.operator-password=" + PASSWORD,
                "mlpipe.limits.max-connections=" + MAX, "mlpipe.limits.connections-per-address=" + PER_ADDRESS,
                "mlpipe.http.header-timeout=10m", "mlpipe.http.unauthenticated-idle-timeout=10m").awaitReady()) {
            try (RawConnection warmUp = RawConnection.open("127.0.0.1", app.port())) {
                // the service has served before: what is timed below is getting in, not a cold start
                assertThat(warmUp.get("/api/runs", BASIC).answer().status()).isEqualTo(200);
            }
            List<RawConnection> held = new ArrayList<>();
            try {
                for (int a = 2; a < 2 + STRANGERS; a++) {
                    for (int i = 0; i < PER_ADDRESS; i++) {
                        held.add(stranger(app, "127.0.0." + a, i % 3));
                    }
                }
                try (RawConnection oneMore = RawConnection.open("127.0.0.2", app.port())) {
                    await().atMost(Duration.ofSeconds(10)).until(oneMore::closedByServer);
                }
                assertThat(held).as("all held").noneMatch(RawConnection::closedByServer);

                try (RawConnection operator = RawConnection.open("127.0.0.1", app.port())) {
                    assertThat(operator.answersWithin(Duration.ofSeconds(2)).get("/api/runs", BASIC).answer().status())
                            .isEqualTo(200);
                }
                assertThat(held.stream().filter(RawConnection::closedByServer).count())
                        .as("one stranger's connection made room").isEqualTo(1);
            } finally {
                held.forEach(RawConnection::close);
            }
        }
    }

    @Test
    void connectionsThatDoNotSignInAreClosedSoonAndOneThatSignedInStays() throws Exception {
        try (ServiceProcess app = ServiceProcess.start("connections-timeouts", "mlpipe.auth.operator-password=" + PASSWORD,
                "mlpipe.http.header-timeout=2s", "mlpipe.http.unauthenticated-idle-timeout=2s",
                // its log (target/connections-timeouts.log) says which deadline closed each connection
                "quarkus.log.category.\"dev.mlpipe.http\".level=DEBUG").awaitReady()) {
            // the first connections to the public port: watched from its opening, before any request
            try (RawConnection silent = RawConnection.open("127.0.0.2", app.port());
                    RawConnection halfHeader = RawConnection.open("127.0.0.2", app.port())
                            .send("GET /api/runs HTTP/1.1\r\nHost: loc");
                    RawConnection refused = RawConnection.open("127.0.0.3", app.port());
                    RawConnection signedIn = RawConnection.open("127.0.0.4", app.port())) {
                assertThat(refused.get("/api/runs").answer().status()).isEqualTo(401);
                assertThat(signedIn.get("/api/runs", BASIC).answer().status()).isEqualTo(200);

                // the bound only needs to tell "closed by the 2 s timeouts" from "held open": generous for a loaded host
                await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(List.of(silent.closedByServer(),
                        halfHeader.closedByServer(), refused.closedByServer()))
                        .as("closed by the server: silent, half a header, answered 401").containsOnly(true));
                assertThat(signedIn.closedByServer()).isFalse();
                assertThat(signedIn.get("/api/runs", BASIC).answer().status()).as("still served").isEqualTo(200);
            }
        }
    }

    /** A connection from {@code address} that sends nothing (0), half a request (1), or a request answered 401 (2). */
    private static RawConnection stranger(ServiceProcess app, String address, int kind) {
        RawConnection connection = RawConnection.open(address, app.port());
        switch (kind) {
            case 0 -> {
            }
            case 1 -> connection.send("GET /api/runs HTTP/1.1\r\nHost: lo");
            default -> assertThat(connection.get("/api/runs").answer().status()).isEqualTo(401);
        }
        return connection;
    }
}
