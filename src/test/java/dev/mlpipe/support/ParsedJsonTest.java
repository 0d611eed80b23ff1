package dev.mlpipe.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.restassured.path.json.JsonPath;

/** ParsedJson answers every path as JsonPath does: the same value, of the same type. */
class ParsedJsonTest {

    private static final String OBJECT = """
            {"seq": 12, "big": 12345678901234, "ms": 0.5, "none": null, "state": "running", "held": true,
             "counts": {"processed": 3, "inner": {"ms": 1.25}}, "list": [1, 2], "steps": [{"at": 1}, {"at": 2}],
             "neg": -12, "longer": -2147483649, "huge": 9223372036854775808, "large": 1.7E30,
             "tiny": 1.5e-46, "third": 0.333333333, "zero": -0.0, "exp": 1e2,
             "text": "caf\\u00e9 \\"quoted\\"\\n\\ttab", "off": false, "empty": {}, "nothing": []}""";
    private static final String ARRAY = """
            [{"id": "abc", "n": [1, 2]}, {"id": "def"}]""";

    @ParameterizedTest
    @ValueSource(strings = { "seq", "big", "ms", "none", "state", "held", "counts", "counts.processed",
            "counts.inner.ms", "list", "list[1]", "list[5]", "missing", "counts.missing", "none.x", "steps[0].at",
            "steps[1]", "steps[2].at", "steps.at", "steps.at[0]", "steps[0].at.x", "list.size()", "neg", "longer",
            "huge", "large", "tiny", "third", "zero", "exp", "text", "off", "empty", "nothing" })
    void anObjectsPathsAnswerAsJsonPathDoes(String path) {
        assertSameAnswer(OBJECT, path);
    }

    @ParameterizedTest
    @ValueSource(strings = { "[0].id", "[1].id", "[2].id", "[0].n[1]", "[0]", "id", "[0][0]" })
    void anArraysPathsAnswerAsJsonPathDoes(String path) {
        assertSameAnswer(ARRAY, path);
    }

    private static void assertSameAnswer(String json, String path) {
        Object expected = JsonPath.from(json).get(path);
        Object actual = new ParsedJson(json).get(path);
        assertThat(actual).isEqualTo(expected);
        if (expected != null) {
            assertThat(actual).hasSameClassAs(expected);
        }
    }
}
