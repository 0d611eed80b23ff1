package dev.mlpipe.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipe.run.RunSpec;

/** Specs for plain unit tests, written as a client would write them. */
public final class RunSpecs {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RunSpecs() {
    }

    public static RunSpec parse(String json) {
        try {
            return MAPPER.readValue(json, RunSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
