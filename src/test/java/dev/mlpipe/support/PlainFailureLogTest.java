package dev.mlpipe.support;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.LogConfig;
import io.restassured.config.RestAssuredConfig;

/** A check that fails still shows the request and the answer, the answer's body as the service sent it. */
@QuarkusTest
class PlainFailureLogTest {

    @Test
    void aFailedCheckLogsTheRequestAndTheAnswerAsSent() {
        String sent = given().get("/api/runs/no-such-run").asString();
        RestAssuredConfig before = RestAssured.config();
        LogConfig logConfig = before.getLogConfig();
        assertThat(logConfig.isLoggingOfRequestAndResponseIfValidationFailsEnabled()).as("Quarkus' log").isTrue();
        assertThat(logConfig.isPrettyPrintingEnabled()).isFalse();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try {
            // (a stream of its own turns pretty-printing on again: rest-assured's LogConfig.defaultStream)
            RestAssured.config = before.logConfig(logConfig.defaultStream(new PrintStream(log, true,
                    StandardCharsets.UTF_8)).enablePrettyPrinting(logConfig.isPrettyPrintingEnabled()));
            assertThatThrownBy(() -> given().get("/api/runs/no-such-run").then().statusCode(200))
                    .isInstanceOf(AssertionError.class);
        } finally {
            RestAssured.config = before;
        }
        assertThat(sent).startsWith("{\"");
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("/api/runs/no-such-run", sent);
    }
}
