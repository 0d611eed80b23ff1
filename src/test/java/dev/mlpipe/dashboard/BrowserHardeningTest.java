package dev.mlpipe.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * What a browser is told about the page and the API: it may not frame them, run other origins' scripts in them or
 * guess content types, sends no referrer from them, and asks for the page again after an upgrade.
 */
@QuarkusTest
class BrowserHardeningTest {

    @ParameterizedTest
    @ValueSource(strings = { "/", "/index.html", "/app.js", "/app.css", "/api/pipeline", "/api/runs" })
    void thePageAndTheApiCarryTheHardeningHeaders(String path) {
        Response response = given().get(path).then().statusCode(200).extract().response();
        assertThat(response.header("Content-Security-Policy")).contains("default-src 'self'", "frame-ancestors 'none'");
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
    }

    @ParameterizedTest
    @ValueSource(strings = { "/", "/index.html", "/app.js", "/app.css" })
    void thePageIsRevalidatedRatherThanCachedAsImmutable(String path) {
        String cacheControl = given().get(path).then().statusCode(200).extract().header("Cache-Control");
        assertThat(cacheControl).isEqualTo("no-cache");
    }
}
