package dev.mlpipe.run;

import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.inject.Singleton;

/**
 * JSON written outside a REST signature (an event's data, a run's end view), with the ObjectMapper Quarkus configured.
 * Only the service's own types go through it, so a failure is a bug: it is thrown unchecked.
 */
@Singleton
public class JsonText implements Function<Object, String> {

    private final ObjectMapper mapper;

    public JsonText(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public String apply(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }
}
