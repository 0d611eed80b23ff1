package dev.mlpipe.observe;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Accounts;
import dev.mlpipe.support.Management;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Paths a client makes up never become metric tags: requests refused before any route (a stranger's 401s, CORS
 * preflights, a signed-in user's 404s) count under one {@code uri} each, so that junk cannot fill Micrometer's 100
 * tags, and a real route is still measured after a flood of them.
 */
@QuarkusTest
@TestProfile(Accounts.class)
class MetricTagsTest {

    private static final int JUNK = 130;

    @TestHTTPResource("/")
    URL self;

    @Test
    void junkPathsCountUnderOneTagEachAndRealRoutesAreStillMeasured() {
        String origin = self.getProtocol() + "://" + self.getHost() + ":" + self.getPort();
        for (int i = 0; i < JUNK; i++) {
            given().get("/junk-unauthorized-" + i).then().statusCode(401);
            given().header("Origin", origin).header("Access-Control-Request-Method", "POST")
                    .options("/junk-preflight-" + i).then().statusCode(200);
            Accounts.viewer().get("/junk-missing-" + i).then().statusCode(404);
            Accounts.viewer().urlEncodingEnabled(false).get("/api/runs;junk-matrix-" + i).then().statusCode(200);
        }
        Accounts.viewer().get("/api/pipeline").then().statusCode(200);

        // the management interface asks for sign-in too when accounts are on: a scraper signs in as the viewer
        String metrics = Management.given().auth().preemptive().basic("viewer", Accounts.VIEWER_PASSWORD)
                .get("/q/metrics").then().statusCode(200).extract().asString();
        Set<String> uris = new TreeSet<>();
        Matcher uri = Pattern.compile("^http_server_requests_seconds_count\\{.*uri=\"([^\"]*)\"", Pattern.MULTILINE)
                .matcher(metrics);
        while (uri.find()) {
            uris.add(uri.group(1));
        }
        assertThat(uris).as("uri tags").noneMatch(tag -> tag.contains("junk"))
                .contains("UNAUTHORIZED", "NOT_FOUND", "PREFLIGHT", "/api/runs", "/api/pipeline").hasSizeLessThan(40);
    }
}
