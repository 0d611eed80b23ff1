package dev.mlpipe.run;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.cancel;
import static dev.mlpipe.support.Api.start;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Api;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SmallSettings;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

@QuarkusTest
@TestProfile(SmallSettings.class)
class RetentionTest {

    @Test
    void onlyTheNewestFinishedRunsAreKeptAndTheOldestGoesFirst() {
        String first = start(RunSpecs.spec().items(List.of(1)).inferenceMs(0).json());
        awaitEnd(first);
        String second = start(RunSpecs.spec().items(List.of(2)).inferenceMs(0).json());
        awaitEnd(second);
        String running = start(RunSpecs.spec().items(List.of(3, 4)).noSentinel().inferenceMs(0).loadIntervalMs(60_000)
                .json());
        String third = start(RunSpecs.spec().items(List.of(3)).inferenceMs(0).json());
        awaitEnd(third);

        given().get("/api/runs/" + first).then().statusCode(404);
        given().get("/api/runs/" + second).then().statusCode(200);
        given().get("/api/runs/" + third).then().statusCode(200);
        assertThat(given().get("/api/runs").jsonPath().getList("findAll { it.sweepId == null }.id"))
                .as("a running run is never evicted; runs a sweep started are kept with their sweep")
                .containsExactly(third, running, second);
        cancel(running);
    }

    @Test
    void aSweepsRunsAreKeptWithItsSweepAndEvictNoOtherRun() {
        String own = start(RunSpecs.spec().items(List.of(1)).inferenceMs(0).json());
        awaitEnd(own);
        String sweep = given().contentType(ContentType.JSON).body(Map.of(
                "run", RunSpecs.spec().exactlyMaxItems().maxItems(5).inferenceMs(0).fields(),
                "vary", Map.of("inferenceMs", List.of(0, 1, 2)), "repeats", 1))
                .post("/api/sweeps").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !"running".equals(Api.view("/api/sweeps/" + sweep).getString("state")));

        List<String> stepRuns = given().get("/api/sweeps/" + sweep).jsonPath().getList("steps.runs.flatten()");
        assertThat(stepRuns).as("three steps, a run each, more than mlpipe.runs.retained (2)").hasSize(3);
        for (String run : stepRuns) {
            given().get("/api/runs/" + run).then().statusCode(200).body("sweepId", equalTo(sweep));
        }
        given().get("/api/runs/" + own).then().statusCode(200); // the sweep's three runs did not push it out
    }
}
