package dev.mlpipe.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import dev.mlpipe.problem.Problem;
import dev.mlpipe.support.LogCapture;
import dev.mlpipe.support.NamedUsers;
import dev.mlpipe.support.NamedUsersBehindAProxy;
import dev.mlpipe.support.RunSpecs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Signing in: named users from a users file of htpasswd hashes, an operator password taken exactly as written, and
 * failed sign-ins from one address slowed, then refused for a while without any password being checked, with one
 * warning per burst (that the refusal ends: {@code SignInThrottleTest}). Addresses other than the test's are {@code X-Forwarded-For} headers, which the profile trusts.
 */
@QuarkusTest
@TestProfile(NamedUsersBehindAProxy.class)
class SignInTest {

    static final String LITERAL = NamedUsersBehindAProxy.OPERATOR_PASSWORD;

    private static ValidatableResponse runs(String user, String password, String address) {
        return RestAssured.given().auth().preemptive().basic(user, password).header("X-Forwarded-For", address)
                .get("/api/runs").then();
    }

    @Test
    void failedSignInsFromOneAddressAreRefusedForAWhileAndWarnedOfOnce() {
        String address = "10.0.0.7";
        try (LogCapture warnings = LogCapture.warnings(SignInThrottle.class)) {
            burst(address, warnings);
        }
    }

    private static void burst(String address, LogCapture warnings) {
        runs("operator", "guess-0", address).statusCode(401);
        for (int i = 1; i < 4; i++) {
            runs("alice", "guess-" + i, address).statusCode(401);
        }
        runs("mallory\n2026-01-01 00:00:00,000 INFO  [forged] all is well", "guess-4", address).statusCode(401);

        for (String password : new String[] { "guess-5", NamedUsers.ALICE }) { // a right one too: no oracle
            runs("alice", password, address).statusCode(429).contentType(Problem.MEDIA_TYPE)
                    .header("Retry-After", org.hamcrest.Matchers.matchesPattern("[1-9][0-9]?"))
                    .body("status", equalTo(429), "detail", containsString("mlpipe.auth.sign-in-failures"));
        }
        runs("alice", NamedUsers.ALICE, "10.0.0.8").statusCode(200); // another address is not refused

        assertThat(warnings.lines()).as("one warning for the burst").singleElement().asString()
                .contains("5 failed sign-ins from address 10.0.0.7")
                .contains("mallory\\n2026-01-01").doesNotContain("\n");
    }

    @Test
    void namedUsersSignInWithTheirHtpasswdHashesAndHaveTheirRoles() {
        for (String[] operator : new String[][] { { "alice", NamedUsers.ALICE }, { "carol", NamedUsers.CAROL } }) {
            String id = NamedUsers.as(operator[0], operator[1]).contentType(ContentType.JSON)
                    .body(RunSpecs.spec().items(1, 2).noSentinel().inferenceMs(0).json())
                    .post("/api/runs").then().statusCode(201).extract().path("id");
            NamedUsers.as(operator[0], operator[1]).get("/api/runs/" + id).then().statusCode(200);
            // ended or not, it no longer counts against the user's runs (AddressLimitsTest shares the service)
            NamedUsers.as(operator[0], operator[1]).delete("/api/runs/" + id).then().statusCode(200);
        }
        for (String[] viewer : new String[][] { { "bob", NamedUsers.BOB }, { "erin", NamedUsers.ERIN } }) {
            NamedUsers.as(viewer[0], viewer[1]).get("/api/runs").then().statusCode(200);
            NamedUsers.as(viewer[0], viewer[1]).contentType(ContentType.JSON).body("{}").post("/api/runs").then()
                    .statusCode(403);
        }
        NamedUsers.as("alice", NamedUsers.BOB).header("X-Forwarded-For", "10.0.1.1").get("/api/runs").then()
                .statusCode(401);
    }

    @Test
    void aPasswordIsTakenAsWrittenNeitherExpandedNorTrimmed() {
        runs("operator", LITERAL, "10.0.2.1").statusCode(200);
        runs("operator", LITERAL.strip(), "10.0.2.2").statusCode(401);
        runs("operator", " op  pass ", "10.0.2.3").statusCode(401);
    }
}
