package dev.mlpipe.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;

import dev.mlpipe.problem.Problem;
import dev.mlpipe.support.Management;
import io.restassured.RestAssured;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Open without a password (the tests are: mlpipe.auth.enabled=false), the service answers only to its own names. A
 * page of rebind.attacker.example, whose name now points at this machine, sends its own name as Host and as Origin:
 * the cross-origin check sees the same origin, the host rule does not.
 */
@QuarkusTest
class RebindingTest {

    private static final String REBOUND = "rebind.attacker.example";

    private static int runs() {
        return given().get("/api/runs").jsonPath().getList("id").size();
    }

    @Test
    void aRequestNamingAnotherHostIsRefusedNamingTheSettingAndChangesNothing() {
        int before = runs();
        String authority = REBOUND + ":" + RestAssured.port;
        given().header("Host", authority).header("Origin", "http://" + authority).contentType(ContentType.JSON)
                .body("{\"maxItems\":1}").when().post("/api/runs").then().statusCode(421)
                .contentType(Problem.MEDIA_TYPE).body("detail", containsString("mlpipe.http.allowed-hosts"));
        given().header("Host", authority).contentType(ContentType.JSON).body("{\"capacity\":5}").when()
                .put("/api/pipeline").then().statusCode(421);
        given().header("Host", authority).when().get("/").then().statusCode(421);
        assertThat(runs()).as("nothing was started").isEqualTo(before);
        assertThat(given().get("/api/pipeline").jsonPath().getInt("capacity")).isEqualTo(10);
    }

    @Test
    void theManagementPortRefusesItTooButNotToProbes() {
        Management.given().header("Host", REBOUND).when().get("/q/metrics").then().statusCode(421);
        Management.given().header("Host", REBOUND).when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void itsOwnNamesAreAnswered() {
        for (String own : new String[] { "localhost", "127.0.0.1", "[::1]" }) {
            given().header("Host", own + ":" + RestAssured.port).when().get("/api/pipeline").then().statusCode(200);
        }
    }
}
