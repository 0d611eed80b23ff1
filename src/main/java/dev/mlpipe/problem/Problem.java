package dev.mlpipe.problem;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 problem: what every error answer carries as {@code application/problem+json}. Field errors name the
 * field and the rule it broke, so a client can show each next to its input.
 */
@RegisterForReflection // also written by hand on the SSE route, outside any REST signature
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    @RegisterForReflection
    public record FieldError(String field, String rule) {
    }

    public static Problem invalid(List<FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).field() + " " + errors.get(0).rule()
                : errors.size() + " fields are invalid";
        return new Problem("urn:mlpipe:problem:invalid-input", "Invalid input", 400, detail, errors);
    }

    public static Problem invalid(String field, String rule) {
        return invalid(List.of(new FieldError(field, rule)));
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem("urn:mlpipe:problem:" + title.toLowerCase(Locale.ROOT).replace(' ', '-'), title, status, detail, List.of());
    }
}
