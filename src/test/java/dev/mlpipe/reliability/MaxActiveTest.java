package dev.mlpipe.reliability;

import static dev.mlpipe.support.Api.cancel;
import static dev.mlpipe.support.Api.start;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Api;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SmallSettings;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

@QuarkusTest
@TestProfile(SmallSettings.class)
class MaxActiveTest {

    @Test
    void aRunBeyondTheLimitIsTooManyRequestsWithRetryAfterAndStreamsAreNeverRefused() {
        // each as a client of its own (the profile trusts X-Forwarded-For), below its cap of runs per client
        List<String> running = IntStream.range(0, 3)
                .mapToObj(i -> given().contentType(ContentType.JSON).header("X-Forwarded-For", "10.0.3." + i)
                        .body(RunSpecs.spec().items(List.of(1, 2)).noSentinel().inferenceMs(0).loadIntervalMs(60_000)
                                .json())
                        .post("/api/runs").then().statusCode(201).extract().<String> path("id"))
                .toList();

        given().contentType(ContentType.JSON).header("X-Forwarded-For", "10.0.3.9").body("{}")
                .when().post("/api/runs")
                .then().statusCode(429)
                .header("Retry-After", "1")
                .contentType("application/problem+json")
                .body("detail", containsString("mlpipe.runs.max-active"));
        try (SseClient client = SseClient.connect("/api/runs/" + running.get(0) + "/events")) {
            org.assertj.core.api.Assertions.assertThat(client.status()).isEqualTo(200);
        }

        cancel(running.get(0));
        String next = start(RunSpecs.spec().items(List.of(1)).inferenceMs(0).json());
        given().get("/api/runs/" + next).then().statusCode(200).body("id", equalTo(next));
        running.forEach(Api::cancel);
    }
}
