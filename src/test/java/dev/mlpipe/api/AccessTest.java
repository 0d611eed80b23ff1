package dev.mlpipe.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mlpipe.problem.Problem;
import dev.mlpipe.support.Accounts;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** With credentials set: nobody gets in without them, a viewer reads, only an operator starts and cancels. */
@QuarkusTest
@TestProfile(Accounts.class)
class AccessTest {

    private static String startAsOperator() {
        return Accounts.operator().contentType(ContentType.JSON).body(RunSpecs.spec().items(1, 2).noSentinel().inferenceMs(0)
                .json()).when().post("/api/runs").then().statusCode(201).extract().path("id");
    }

    @Test
    void withoutCredentialsNothingIsServedAndTheBrowserIsAskedForThem() {
        for (String path : new String[] { "/", "/app.js", "/api/runs", "/api/pipeline", "/api/runs/0123456789ab/events" }) {
            given().when().get(path).then().statusCode(401)
                    .header("WWW-Authenticate", matchesPattern("(?i)basic realm=\"mlpipe\".*"));
        }
        given().contentType(ContentType.JSON).body("{}").when().post("/api/runs").then().statusCode(401);
    }

    @Test
    void aWrongPasswordIsRefused() {
        given().auth().preemptive().basic("operator", "guess").when().get("/api/runs").then().statusCode(401)
                .contentType(Problem.MEDIA_TYPE).header("WWW-Authenticate", matchesPattern("(?i)basic realm=\"mlpipe\".*"));
        given().auth().preemptive().basic("nobody", Accounts.OPERATOR_PASSWORD).when().get("/api/runs").then().statusCode(401);
    }

    @Test
    void aViewerReadsThePageRunsAndTheirStreams() {
        String id = startAsOperator();
        Accounts.viewer().when().get("/").then().statusCode(200).body(containsString("mlpipe"));
        Accounts.viewer().when().get("/api/runs").then().statusCode(200);
        Accounts.viewer().when().get("/api/pipeline").then().statusCode(200);
        Accounts.viewer().when().get("/api/runs/" + id + "/events").then().statusCode(200)
                .body(containsString("event: end"));
        Accounts.viewer().when().get("/api/runs/" + id).then().statusCode(200).body("state", equalTo("completed"));
    }

    @Test
    void aViewerCannotStartOrCancelRuns() {
        int before = Accounts.viewer().get("/api/runs").jsonPath().getList("id").size();
        Accounts.viewer().contentType(ContentType.JSON).body("{}").when().post("/api/runs").then().statusCode(403)
                .contentType(Problem.MEDIA_TYPE).body("detail", containsString("operator"));
        Accounts.viewer().contentType(ContentType.JSON).accept("text/event-stream").body("{}").when().post("/api/runs")
                .then().statusCode(403);
        assertThat(Accounts.viewer().get("/api/runs").jsonPath().getList("id")).as("nothing was started").hasSize(before);

        String id = Accounts.operator().contentType(ContentType.JSON)
                .body(RunSpecs.spec().draws(100).inferenceMs(1000).json())
                .when().post("/api/runs").then().statusCode(201).extract().path("id");
        Accounts.viewer().when().delete("/api/runs/" + id).then().statusCode(403);
        Accounts.viewer().contentType(ContentType.JSON).body("{\"capacity\":5}").when().put("/api/pipeline").then()
                .statusCode(403).contentType(Problem.MEDIA_TYPE).body("detail", containsString("operator"));
        assertThat(Accounts.viewer().get("/api/pipeline").jsonPath().getInt("capacity")).as("nothing changed")
                .isEqualTo(10);
        Accounts.operator().contentType(ContentType.JSON).body("{}").when().put("/api/pipeline").then().statusCode(200)
                .body("capacity", equalTo(10));
        Accounts.viewer().when().get("/api/runs/" + id).then().body("state", equalTo("running"));
        Accounts.operator().when().delete("/api/runs/" + id).then().statusCode(200).body("state", equalTo("cancelled"));
    }

    @Test
    void eachAccountIsToldWhoItIsAndWhetherItMayOperate() {
        Accounts.viewer().when().get("/api/me").then().statusCode(200).contentType(ContentType.JSON)
                .body("user", equalTo("viewer")).body("role", equalTo("viewer")).body("canOperate", equalTo(false))
                .body("access", equalTo("protected"));
        Accounts.operator().when().get("/api/me").then().statusCode(200)
                .body("user", equalTo("operator")).body("role", equalTo("operator")).body("canOperate", equalTo(true));
        given().when().get("/api/me").then().statusCode(401);
    }

    @Test
    void anOperatorStartsFollowsAndCancels() {
        Accounts.operator().contentType(ContentType.JSON).accept("text/event-stream")
                .body(RunSpecs.spec().items(5, 6).noSentinel().inferenceMs(0).json())
                .when().post("/api/runs").then().statusCode(201).body(containsString("event: end"));
        String id = startAsOperator();
        Accounts.operator().when().get("/api/runs/" + id + "/events").then().statusCode(200);
        Accounts.operator().when().delete("/api/runs/" + id).then().statusCode(200);
    }

    @Test
    void eachSignedInUserHasStreamsOfTheirOwnThoughAllComeFromOneAddress() {
        String id = Accounts.operator().contentType(ContentType.JSON)
                .body(RunSpecs.spec().draws(100).inferenceMs(1000).json())
                .when().post("/api/runs").then().statusCode(201).extract().path("id");
        String events = "/api/runs/" + id + "/events";
        Map<String, String> operator = Accounts.basic("operator", Accounts.OPERATOR_PASSWORD);
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < Accounts.STREAMS_PER_CLIENT; i++) {
                open.add(SseClient.connect(events, operator));
                assertThat(open.get(i).status()).isEqualTo(200);
            }
            try (SseClient oneMore = SseClient.connect(events, operator)) {
                assertThat(oneMore.status()).isEqualTo(429);
                assertThat(oneMore.problem().getString("detail")).contains("operator");
            }
            try (SseClient viewer = SseClient.connect(events, Accounts.basic("viewer", Accounts.VIEWER_PASSWORD))) {
                assertThat(viewer.status()).as("the viewer is another client").isEqualTo(200);
            }
        } finally {
            open.forEach(SseClient::close);
            Accounts.operator().delete("/api/runs/" + id);
        }
    }

    @Test
    void overV2AViewerReadsMetadataAndOnlyAnOperatorInfers() {
        String row = "{\"inputs\": [{\"name\": \"value\", \"shape\": [1, 1], \"datatype\": \"INT64\", \"data\": [7]}]}";
        given().when().get("/v2/models/simulated").then().statusCode(401)
                .header("WWW-Authenticate", matchesPattern("(?i)basic realm=\"mlpipe\".*"));
        given().auth().preemptive().basic("operator", "guess").when().get("/v2/models/simulated").then().statusCode(401)
                .contentType("application/json").body("error", containsString("sign in"));
        Accounts.viewer().when().get("/v2").then().statusCode(200).body("name", equalTo("mlpipe"));
        Accounts.viewer().when().get("/v2/models/simulated").then().statusCode(200).body("name", equalTo("simulated"));
        Accounts.viewer().when().get("/v2/health/ready").then().statusCode(200);
        Accounts.viewer().contentType(ContentType.JSON).body(row).when().post("/v2/models/simulated/infer").then()
                .statusCode(403).contentType("application/json").body("error", containsString("operator"));
        Accounts.operator().contentType(ContentType.JSON).body(row).when().post("/v2/models/simulated/infer").then()
                .statusCode(200).body("outputs[0].data[0]", equalTo("low"));
    }
}
