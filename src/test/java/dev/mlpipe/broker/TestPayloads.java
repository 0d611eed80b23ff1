package dev.mlpipe.broker;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipe.problem.StrictJson;

/** {@link Payloads} with a mapper as strict as the application's, for tests without CDI. */
final class TestPayloads {

    static final Payloads STRICT = strict();

    private TestPayloads() {
    }

    private static Payloads strict() {
        ObjectMapper mapper = new ObjectMapper();
        new StrictJson().customize(mapper);
        return new Payloads(mapper);
    }
}
