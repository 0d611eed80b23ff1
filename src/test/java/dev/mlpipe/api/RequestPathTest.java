package dev.mlpipe.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each spelling of a path and the one path it names; and the paths that name no one place. */
class RequestPathTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/                         | /",
            "/api/runs                 | /api/runs",
            "/api;/runs                | /api/runs",
            "/api;a=1;b=2/runs;x       | /api/runs",
            "//api//runs//             | /api/runs",
            "/api/./runs/.             | /api/runs",
            "/x/y/../../api/runs       | /api/runs",
            "/api/%2e%2E/api/runs      | /api/runs",
            "/api/.%2e/api/runs        | /api/runs",
            "/api/..;x/api/runs        | /api/runs",
            "/%61%70%69/runs           | /api/runs",
            "/API/runs                 | /API/runs",
            "/api/runs/a%20b           | /api/runs/a%20b",
            "/api/runs/%c3%a9          | /api/runs/%C3%A9",
            "/api/runs/a%3bb           | /api/runs/a%3Bb",
            "/api/runs/{id}            | /api/runs/%7Bid%7D",
            "/app.js                   | /app.js",
            "/a/..;/                   | /" })
    void eachSpellingNamesOnePath(String raw, String canonical) {
        assertThat(RequestPath.canonical(raw)).isEqualTo(canonical);
        assertThat(RequestPath.canonical(canonical)).as("a fixed point").isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "api/runs", "*", "/..", "/api/../..", "/%2e%2e/x", "/api%2Fruns", "/api/%5c",
            "/a\\b", "/api/%", "/api/%4", "/api/%g0", "/api/%\u0661\u0662", "/api/%00", "/api/%0d%0a", "/api/\u0001",
            "/api/%C3%28", "/api/%FF", "/api/\u0100", "/..;/" })
    void aPathThatNamesNoOnePlaceIsRefused(String raw) {
        assertThatThrownBy(() -> RequestPath.canonical(raw)).isInstanceOf(RequestPath.Unusable.class);
    }
}
