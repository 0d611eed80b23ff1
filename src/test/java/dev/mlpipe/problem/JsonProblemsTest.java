package dev.mlpipe.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipe.run.RunRequest;

/**
 * Three rules are recognized by Jackson's own words. These pin those words for the Jackson version Quarkus brings, so
 * that an upgrade that changes them fails here rather than turns a field error into "body ... cannot be read".
 */
class JsonProblemsTest {

    private final ObjectMapper strict = new ObjectMapper();

    JsonProblemsTest() {
        new StrictJson().customize(strict);
    }

    private JsonProcessingException failure(String json) {
        return catchThrowableOfType(JsonProcessingException.class, () -> strict.readValue(json, RunRequest.class));
    }

    @Test
    void aRepeatedKeyIsNamedByJacksonsDuplicateFieldMessage() {
        JsonProcessingException e = failure("{\"min\":1,\"min\":2}");

        assertThat(e.getOriginalMessage()).matches(JsonProblems.DUPLICATE.pattern() + ".*");
        assertThat(JsonProblems.of(e).errors()).containsExactly(new Problem.FieldError("min", "appears more than once"));
    }

    @Test
    void aSecondValueIsNamedByJacksonsTrailingTokenMessage() {
        JsonProcessingException e = failure("{\"seed\":1} {}");

        assertThat(e.getOriginalMessage()).startsWith(JsonProblems.TRAILING);
        assertThat(JsonProblems.of(e).errors())
                .containsExactly(new Problem.FieldError("body", "must hold exactly one JSON value; more follows it"));
    }

    @Test
    void anUnknownFieldListsTheKnownOnes() {
        Problem problem = JsonProblems.of(failure("{\"mxItems\":5}"));

        assertThat(problem.errors()).singleElement().satisfies(error -> {
            assertThat(error.field()).isEqualTo("mxItems");
            assertThat(error.rule()).startsWith("is not a known field; known fields: dataset, deadlineMs, inferenceMs, items, loadIntervalMs");
        });
    }

    @Test
    void aWrongTypeNamesTheTypeExpected() {
        assertThat(JsonProblems.of(failure("{\"min\":true}")).errors())
                .containsExactly(new Problem.FieldError("min", "must be an integer from -2147483648 to 2147483647"));
    }

    @Test
    void aNumberInQuotesIsAStringNotANumber() {
        assertThat(failure("{\"min\":\"5\"}").getOriginalMessage()).containsPattern("^" + JsonProblems.STRING_COERCION);
        assertThat(JsonProblems.of(failure("{\"min\":\"5\"}")).errors()).containsExactly(new Problem.FieldError("min",
                "must be a number, not a string (an integer from -2147483648 to 2147483647)"));
        assertThat(JsonProblems.of(failure("{\"seed\":\"\"}")).errors()).singleElement()
                .extracting(Problem.FieldError::rule).asString().startsWith("must be a number, not a string");
    }
}
