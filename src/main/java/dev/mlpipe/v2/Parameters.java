package dev.mlpipe.v2;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The name/value pairs the protocol calls {@code $parameters} (inference_rest.md, "Parameters"): each value a string, a
 * number or a boolean; here a {@link String}, a {@link Long} (an integer that fits), a {@link Double} (any other
 * number) or a {@link Boolean}, in the order the body gave them.
 */
public record Parameters(Map<String, Object> values) {

    public static final Parameters NONE = new Parameters(Map.of());

    public Parameters {
        for (var entry : values.entrySet()) {
            Object value = entry.getValue();
            if (!(value instanceof String || value instanceof Long || value instanceof Double || value instanceof Boolean)) {
                throw new IllegalArgumentException("parameter " + entry.getKey() + " is a "
                        + (value == null ? "null" : value.getClass().getSimpleName()));
            }
        }
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Parameters of(String name, Object value) {
        return new Parameters(Map.of(name, value));
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public Optional<Object> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** These parameters and {@code name} set to {@code value}. */
    public Parameters with(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(values);
        more.put(name, value);
        return new Parameters(more);
    }

    /** These parameters without {@code name}. */
    public Parameters without(String name) {
        if (!values.containsKey(name)) {
            return this;
        }
        Map<String, Object> fewer = new LinkedHashMap<>(values);
        fewer.remove(name);
        return new Parameters(fewer);
    }

    /**
     * An integer parameter ({@code priority}, {@code timeout}, {@code binary_data_size}).
     *
     * @param where who carries it, for the message ("the request", "input 'x'")
     * @throws V2Refused if it is there and not an integer
     */
    public OptionalLong integer(String name, String where) {
        Optional<Long> value = typed(name, where, Long.class, "an integer");
        return value.isPresent() ? OptionalLong.of(value.get()) : OptionalLong.empty();
    }

    /**
     * A boolean parameter ({@code binary_data}, {@code binary_data_output}).
     *
     * @throws V2Refused if it is there and not a boolean
     */
    public Optional<Boolean> bool(String name, String where) {
        return typed(name, where, Boolean.class, "a boolean");
    }

    /**
     * A string parameter.
     *
     * @throws V2Refused if it is there and not a string
     */
    public Optional<String> string(String name, String where) {
        return typed(name, where, String.class, "a string");
    }

    private <T> Optional<T> typed(String name, String where, Class<T> type, String kind) {
        Object value = values.get(name);
        if (value == null || type.isInstance(value)) {
            return Optional.ofNullable(type.cast(value));
        }
        throw V2Refused.badRequest(where + ": parameter '" + name + "' must be " + kind + ", not " + describe(value));
    }

    private static String describe(Object value) {
        return value instanceof String string ? "\"" + V2Refused.clip(string) + "\"" : String.valueOf(value);
    }
}
