package dev.mlpipe.run;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.start;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(RetentionTest.KeepTwo.class)
class RetentionTest {

    public static class KeepTwo implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mlpipe.runs.retained", "2");
        }
    }

    @Test
    void onlyTheNewestFinishedRunsAreKeptAndTheOldestGoesFirst() {
        String first = start("{\"items\":[1],\"inferenceMs\":0}");
        awaitEnd(first);
        String second = start("{\"items\":[2],\"inferenceMs\":0}");
        awaitEnd(second);
        String running = start("{\"items\":[3,4],\"sentinel\":-1,\"inferenceMs\":0,\"loadIntervalMs\":60000}");
        String third = start("{\"items\":[3],\"inferenceMs\":0}");
        awaitEnd(third);

        given().get("/api/runs/" + first).then().statusCode(404);
        given().get("/api/runs/" + second).then().statusCode(200);
        given().get("/api/runs/" + third).then().statusCode(200);
        assertThat(given().get("/api/runs").jsonPath().getList("id")).as("a running run is never evicted")
                .containsExactly(third, running, second);
        given().delete("/api/runs/" + running).then().statusCode(200);
    }
}
