package dev.mlpipe.support;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipe.run.RunRequest;

/**
 * Run specs for tests, built field by field and written as a client writes them, instead of JSON joined by hand:
 * {@code RunSpecs.spec().items(1, 40).noSentinel().inferenceMs(10).json()}.
 */
public final class RunSpecs {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, Object> fields = new LinkedHashMap<>();

    private RunSpecs() {
    }

    public static RunSpecs spec() {
        return new RunSpecs();
    }

    /** Parses a spec as the service reads a body (for plain unit tests of its rules). */
    public static RunRequest parse(String json) {
        try {
            return MAPPER.readValue(json, RunRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public RunSpecs seed(long seed) {
        return with("seed", seed);
    }

    public RunSpecs min(int min) {
        return with("min", min);
    }

    public RunSpecs max(int max) {
        return with("max", max);
    }

    public RunSpecs sentinel(int sentinel) {
        return with("sentinel", sentinel);
    }

    /** A sentinel the values never reach: for listed items above zero, or draws from [1, 2000000000]. */
    public RunSpecs noSentinel() {
        return with("sentinel", fields.containsKey("items") ? -1 : 2_000_000_000);
    }

    /** No sentinel ({@code "sentinel": null}): the run loads exactly maxItems values. */
    public RunSpecs exactlyMaxItems() {
        return with("sentinel", null);
    }

    /** Random draws from [1, 2000000000] with a sentinel they practically never hit: exactly maxItems items. */
    public RunSpecs draws(int maxItems) {
        return with("min", 1).with("max", 2_000_000_000).with("sentinel", 2_000_000_000).with("maxItems", maxItems);
    }

    public RunSpecs maxItems(int maxItems) {
        return with("maxItems", maxItems);
    }

    public RunSpecs loadIntervalMs(int ms) {
        return with("loadIntervalMs", ms);
    }

    public RunSpecs inferenceMs(int ms) {
        return with("inferenceMs", ms);
    }

    public RunSpecs priority(int level) {
        return with("priority", level);
    }

    public RunSpecs deadlineMs(int ms) {
        return with("deadlineMs", ms);
    }

    public RunSpecs overflow(String policy) {
        return with("overflow", policy);
    }

    /** The values from..to as the run's items. */
    public RunSpecs items(int from, int to) {
        return with("items", IntStream.rangeClosed(from, to).boxed().toList());
    }

    public RunSpecs items(List<Integer> values) {
        return with("items", values);
    }

    /** A run on a named model. */
    public RunSpecs model(String name) {
        return with("model", name);
    }

    /** A run that reads a dataset, {@code repeat} passes over it. */
    public RunSpecs dataset(String name, int repeat) {
        return with("dataset", name).with("repeat", repeat);
    }

    /** A run told by a name and tags. */
    public RunSpecs named(String name, String... tags) {
        return with("name", name).with("tags", List.of(tags));
    }

    public RunSpecs with(String field, Object value) {
        fields.put(field, value);
        return this;
    }

    /** The fields as a map, to nest the spec in another body (a sweep's {@code run}). */
    public Map<String, Object> fields() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public String json() {
        try {
            return MAPPER.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return fields.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }
}
