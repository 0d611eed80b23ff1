package dev.mlpipe.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.net.URL;

import org.junit.jupiter.api.Test;

import dev.mlpipe.problem.Problem;
import dev.mlpipe.support.Api;
import dev.mlpipe.support.RunSpecs;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A web page of another origin, which the user of a service happens to visit, cannot start, cancel or read runs in
 * it; the page the service serves, scripts and curl (which send no {@code Origin}) can.
 */
@QuarkusTest
class CrossSiteTest {

    private static final String OTHER = "http://evil.example";

    @TestHTTPResource("/")
    URL self;

    private static int runs() {
        return given().get("/api/runs").jsonPath().getList("id").size();
    }

    @Test
    void anotherOriginCannotStartARunEvenWithAnEmptyPlainTextBody() {
        int before = runs();
        given().header("Origin", OTHER).contentType(ContentType.TEXT).body("")
                .when().post("/api/runs").then().statusCode(403);
        given().header("Origin", OTHER).contentType(ContentType.JSON).body("{}")
                .when().post("/api/runs").then().statusCode(403);
        assertThat(runs()).as("nothing was started").isEqualTo(before);
    }

    @Test
    void anotherOriginCannotCancelOrReadARun() {
        String id = Api.start(RunSpecs.spec().items(1, 3).noSentinel().inferenceMs(0).json());
        given().header("Origin", OTHER).when().delete("/api/runs/" + id).then().statusCode(403);
        given().header("Origin", OTHER).when().get("/api/runs/" + id).then().statusCode(403);
        given().header("Origin", OTHER).when().get("/api/runs/" + id + "/events").then().statusCode(403);
        assertThat(Api.awaitEnd(id).getString("state")).as("not cancelled").isEqualTo("completed");
    }

    @Test
    void anotherSitesImageOrScriptCannotOpenAnEventStream() {
        String id = Api.start(RunSpecs.spec().items(1, 3).noSentinel().inferenceMs(0).json());
        String sweep = given().contentType(ContentType.JSON).body(
                "{\"run\": {\"maxItems\": 2, \"inferenceMs\": 0, \"sentinel\": null}, \"vary\": {\"inferenceMs\": [0]}}")
                .post("/api/sweeps").then().statusCode(201).extract().path("id");
        for (String site : new String[] { "cross-site", "same-site", "Cross-Site" }) {
            given().header("Sec-Fetch-Site", site).get("/api/runs/" + id + "/events").then().statusCode(403)
                    .contentType(Problem.MEDIA_TYPE).body("detail", containsString("Sec-Fetch-Site"));
            given().header("Sec-Fetch-Site", site).get("/api/sweeps/" + sweep + "/events").then().statusCode(403);
            given().header("Sec-Fetch-Site", site).accept("text/event-stream").contentType(ContentType.JSON)
                    .body("{\"maxItems\":1}").post("/api/runs").then().statusCode(403);
        }
        for (String own : new String[] { "same-origin", "none" }) { // the page's own EventSource, a typed address
            given().header("Sec-Fetch-Site", own).get("/api/runs/" + id + "/events").then().statusCode(200)
                    .body(containsString("event: end"));
        }
        given().get("/api/runs/" + id + "/events").then().statusCode(200); // curl and scripts send none
    }

    @Test
    void theServicesOwnPageAndClientsWithoutAnOriginCan() {
        String own = self.getProtocol() + "://" + self.getHost() + ":" + self.getPort();
        given().header("Origin", own).contentType(ContentType.JSON).body("{\"maxItems\":1}")
                .when().post("/api/runs").then().statusCode(201);
        given().contentType(ContentType.JSON).body("{\"maxItems\":1}")
                .when().post("/api/runs").then().statusCode(201);
    }
}
