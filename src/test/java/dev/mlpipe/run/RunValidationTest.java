package dev.mlpipe.run;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.mlpipe.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Every bad input answers a 4xx problem naming the field and the rule, and starts nothing. */
@QuarkusTest
public class RunValidationTest {

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                Arguments.of("{\"seed\":7", "body", "is not valid JSON"),
                Arguments.of("{\"min\":\"5\"}", "min", "must be a number, not a string"),
                Arguments.of("{\"min\":1.5}", "min", "must be an integer"),
                Arguments.of("{\"seed\":true}", "seed", "must be an integer"),
                Arguments.of("{\"items\":\"1,2\"}", "items", "must be an array"),
                Arguments.of("{\"items\":[1,\"x\"]}", "items[1]", "must be a number, not a string"),
                Arguments.of("[1,2]", "body", "must be a JSON object"),
                Arguments.of("{\"mxItems\":5}", "mxItems", "is not a known field"),
                Arguments.of("{\" \":7}", "\" \"", "is not a known field"), // found by RunSpecFuzzTest
                Arguments.of("{\"\":1,\"\":2}", "\"\"", "appears more than once"),
                Arguments.of("{\"min\":1,\"min\":2}", "min", "appears more than once"),
                Arguments.of("{\"seed\":1} {}", "body", "exactly one JSON value"),
                Arguments.of("{\"min\":50,\"max\":50}", "min", "must be less than max"),
                Arguments.of("{\"min\":200}", "min", "must be less than max"),
                Arguments.of("{\"sentinel\":\"67\"}", "sentinel", "must be a number, not a string"),
                Arguments.of("{\"sentinel\":6.7}", "sentinel", "must be an integer"),
                Arguments.of("{\"maxItems\":0}", "maxItems", "must be at least 1"),
                Arguments.of("{\"maxItems\":1000001}", "maxItems", "must be at most 1000000"),
                Arguments.of("{\"min\":99999999999}", "min", "out of range"),
                Arguments.of("{\"inferenceMs\":-1}", "inferenceMs", "must not be negative"),
                Arguments.of("{\"loadIntervalMs\":-5}", "loadIntervalMs", "must not be negative"),
                Arguments.of("{\"priority\":0}", "priority", "must be at least 1 (the first level)"),
                Arguments.of("{\"priority\":6}", "priority", "must be at most 5 (the last level)"),
                Arguments.of("{\"priority\":\"high\"}", "priority", "must be a number, not a string"),
                Arguments.of("{\"priority\":1.5}", "priority", "must be an integer"),
                Arguments.of("{\"deadlineMs\":0}", "deadlineMs", "leave it out for no deadline"),
                Arguments.of("{\"deadlineMs\":-20}", "deadlineMs", "must be at least 1"),
                Arguments.of("{\"deadlineMs\":3600001}", "deadlineMs", "must be at most 3600000"),
                Arguments.of("{\"deadlineMs\":true}", "deadlineMs", "must be an integer"),
                Arguments.of("{\"inferenceMs\":600000}", "inferenceMs", "must be at most 60000"),
                Arguments.of("{\"maxItems\":1000000,\"inferenceMs\":60000}", "maxItems", "mlpipe.runs.max-duration"),
                Arguments.of("{\"overflow\":\"explode\"}", "overflow", "must be one of block, drop, fail"),
                Arguments.of("{\"items\":[]}", "items", "must hold between 1 and 100000"),
                Arguments.of("{\"items\":[1,null]}", "items[1]", "must not be null"),
                Arguments.of("{\"items\":[1,2],\"seed\":3}", "seed", "applies to random draws only"),
                Arguments.of("{\"items\":[1,2],\"min\":0}", "min", "applies to random draws only"),
                Arguments.of("{\"name\":\"" + "n".repeat(81) + "\"}", "name", "must be at most 80 characters"),
                Arguments.of("{\"tags\":[\"ok\",\"fine-2\",\"Bad Tag\"]}", "tags[2]", "[a-z0-9-]{1,32}"),
                Arguments.of("{\"tags\":[\"" + "t".repeat(33) + "\"]}", "tags[0]", "1 to 32 characters"),
                Arguments.of("{\"tags\":[\"\"]}", "tags[0]", "1 to 32 characters"),
                Arguments.of("{\"tags\":[\"a\",null]}", "tags[1]", "must not be null"),
                Arguments.of("{\"tags\":\"a\"}", "tags", "must be an array"),
                Arguments.of("{\"tags\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\"]}", "tags",
                        "must hold at most 10 tags"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSpecs")
    void aBadSpecIsAProblemNamingTheFieldAndTheRule(String body, String field, String rule) {
        int runsBefore = given().get("/api/runs").jsonPath().getList("id").size();

        given().contentType(ContentType.JSON).body(body)
                .when().post("/api/runs")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors[0].field", equalTo(field))
                .body("errors[0].rule", containsString(rule))
                .body("detail", containsString(field))
                .body(not(containsString("Exception")));

        assertThat(given().get("/api/runs").jsonPath().getList("id")).hasSize(runsBefore);
    }

    @Test
    void aSentinelTheDrawsNeverReachIsAcceptedAndMaxItemsEndsTheRun() {
        // 67, the default sentinel, is never drawn from [1, 10]; maxItems ends the run
        String id = given().contentType(ContentType.JSON).body("{\"min\":1,\"max\":10,\"maxItems\":20,\"inferenceMs\":0}")
                .when().post("/api/runs")
                .then().statusCode(201).body("spec.sentinel", equalTo(67)).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> !"running".equals(Api.run(id).getString("state")));
        given().get("/api/runs/" + id).then().body("state", equalTo("completed")).body("counts.processed", equalTo(20));
    }

    @Test
    void severalBrokenFieldsAreAllNamed() {
        given().contentType(ContentType.JSON).body("{\"maxItems\":0,\"inferenceMs\":-1}")
                .when().post("/api/runs")
                .then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("inferenceMs", "maxItems"));
    }

    @Test
    void aBodyThatIsNotJsonIsUnsupported() {
        given().contentType(ContentType.TEXT).body("seed=7")
                .when().post("/api/runs")
                .then().statusCode(415)
                .contentType("application/problem+json")
                .body("status", equalTo(415));
    }

    @Test
    void aPostWithoutABodyMustStillSayJson() {
        int before = given().get("/api/runs").jsonPath().getList("id").size();
        given().when().post("/api/runs").then().statusCode(415).contentType("application/problem+json")
                .body("detail", containsString("application/json"));
        for (ContentType type : new ContentType[] { ContentType.TEXT, ContentType.URLENC }) {
            given().contentType(type).body("").when().post("/api/runs").then().statusCode(415);
            given().contentType(type).accept("text/event-stream").body("").when().post("/api/runs").then()
                    .statusCode(415).contentType("application/problem+json");
        }
        assertThat(given().get("/api/runs").jsonPath().getList("id")).as("nothing was started").hasSize(before);
        String id = given().contentType(ContentType.JSON).body("").when().post("/api/runs").then().statusCode(201)
                .extract().path("id");
        given().delete("/api/runs/" + id).then().statusCode(200); // a default run would hold the queue for long
    }

    @Test
    void aBadListFilterIsAProblemNamingIt() {
        given().when().get("/api/runs?state=done").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("state"))
                .body("errors[0].rule", containsString("running, completed, cancelled, failed, interrupted"));
        given().when().get("/api/runs?tag=No Tag").then().statusCode(400).body("errors[0].field", equalTo("tag"));
        given().when().get("/api/runs?sweep=x").then().statusCode(400).body("errors[0].field", equalTo("sweep"));
    }

    @Test
    void anUnknownRunIsNotFound() {
        given().when().get("/api/runs/0123456789ab").then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("0123456789ab"));
        given().when().delete("/api/runs/0123456789ab").then().statusCode(404);
    }

    @Test
    void aPathThatIsNotARunIdIsAProblemNamingTheId() {
        given().when().get("/api/runs/not-a-run").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo("id"))
                .body("errors[0].rule", containsString("12 lowercase hexadecimal digits"));
    }
}
