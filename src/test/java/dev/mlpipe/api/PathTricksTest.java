package dev.mlpipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mlpipe.problem.Problem;
import dev.mlpipe.support.Accounts;
import dev.mlpipe.support.RawHttp;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * However a path is spelled (matrix parameters, escapes, dot segments, double slashes), every rule sees the one path it
 * names: the content-type guard, the operator-only rules, the routes. Sent byte for byte on a socket, as a client that
 * does not tidy its paths would.
 */
@QuarkusTest
@TestProfile(Accounts.class)
class PathTricksTest {

    private static final String[] RUNS = { "/api;/runs", "/api;x=1/runs;y=2", "//api//runs", "/%61pi/runs",
            "/api/./runs/", "/x/../api/runs", "/api/%2e%2e/api/runs", "/api/runs;" };

    private static Map<String, String> as(Map<String, String> account, String... headers) {
        Map<String, String> all = new HashMap<>(account);
        for (int i = 0; i < headers.length; i += 2) {
            all.put(headers[i], headers[i + 1]);
        }
        return all;
    }

    private static Map<String, String> operator(String... headers) {
        return as(Accounts.basic("operator", Accounts.OPERATOR_PASSWORD), headers);
    }

    @Test
    void aBodyWithoutJsonIsRefusedWhateverThePathsSpelling() {
        int before = Accounts.viewer().get("/api/runs").jsonPath().getList("id").size();
        for (String path : RUNS) {
            RawHttp.Answer answer = RawHttp.send("POST", path, operator(), null);
            assertThat(answer.status()).as(path).isEqualTo(415);
            assertThat(answer.headers().get("content-type")).as(path).startsWith(Problem.MEDIA_TYPE);
        }
        assertThat(RawHttp.send("PUT", "/api;/pipeline", operator(), null).status()).isEqualTo(415);
        assertThat(RawHttp.send("PUT", "/api/x/../pipeline", operator("Content-Type", "text/plain"), "{}").status())
                .isEqualTo(415);
        assertThat(Accounts.viewer().get("/api/runs").jsonPath().getList("id")).as("nothing was started")
                .hasSize(before);
    }

    @Test
    void onlyJsonItselfIsJson() {
        String spec = "{\"maxItems\":1,\"inferenceMs\":0}";
        for (String type : new String[] { "application/jsonx", "application/json-seq", "application/json5",
                "text/json", "application/x-www-form-urlencoded" }) {
            RawHttp.Answer stream = RawHttp.send("POST", "/api/runs", operator("Content-Type", type,
                    "Accept", "text/event-stream"), spec);
            assertThat(stream.status()).as(type).isEqualTo(415);
            assertThat(RawHttp.send("POST", "/api/runs", operator("Content-Type", type), spec).status()).as(type)
                    .isEqualTo(415);
        }
        for (String type : new String[] { "application/json", "Application/JSON; charset=utf-8" }) {
            assertThat(RawHttp.send("POST", "/api/runs", operator("Content-Type", type), spec).status()).as(type)
                    .isEqualTo(201);
        }
    }

    @Test
    void aViewerCannotStartARunByAnotherSpellingOfItsPath() {
        Map<String, String> viewer = as(Accounts.basic("viewer", Accounts.VIEWER_PASSWORD), "Content-Type",
                "application/json");
        for (String path : RUNS) {
            RawHttp.Answer answer = RawHttp.send("POST", path, viewer, "{}");
            assertThat(answer.status()).as(path).isEqualTo(403);
            assertThat(answer.body()).as(path).contains("operator");
        }
        assertThat(RawHttp.send("GET", "//api//runs/", operator(), null).status()).as("a reader's path that tidies up")
                .isEqualTo(200);
        RawHttp.Answer started = RawHttp.send("POST", "/api;/runs", operator("Content-Type", "application/json"),
                "{\"maxItems\":1,\"inferenceMs\":0}");
        assertThat(started.status()).as("an operator's, with its body, as the canonical path's").isEqualTo(201);
        assertThat(started.json().getInt("spec.maxItems")).isEqualTo(1);
    }

    @Test
    void aPathThatNamesNoOnePlaceIsABadRequestNamingThePath() {
        for (String path : new String[] { "/api/%zz", "/api/%0" }) { // refused by Vert.x itself, before any route
            assertThat(RawHttp.send("GET", path, operator(), null).status()).as(path).isEqualTo(400);
        }
        for (String path : new String[] { "/api/%2Fruns", "/api/%2fruns", "/api/runs%5C..", "/../api/runs",
                "/api/%2e%2e/%2e%2e/x", "/api/runs/%00", "/api/%C3%28", "/api/runs/%0A" }) {
            RawHttp.Answer answer = RawHttp.send("GET", path, operator(), null);
            assertThat(answer.status()).as(path).isEqualTo(400);
            assertThat(answer.headers().get("content-type")).as(path).startsWith(Problem.MEDIA_TYPE);
            assertThat(answer.json().getString("errors[0].field")).as(path).isEqualTo("path");
            assertThat(answer.body()).as(path).doesNotContain("Exception");
        }
    }
}
