package dev.mlpipe.run;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.cancel;
import static dev.mlpipe.support.Api.start;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SmallSettings;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

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
        assertThat(given().get("/api/runs").jsonPath().getList("id")).as("a running run is never evicted")
                .containsExactly(third, running, second);
        cancel(running);
    }
}
