package dev.mlpipe.link;

import io.vertx.core.json.JsonObject;

/** Payloads as they arrive: the object itself in one process, its JSON from a broker. */
public final class Payloads {

    private Payloads() {
    }

    /** @throws IllegalArgumentException if the payload is neither a {@code type} nor JSON of one */
    public static <T> T as(Object payload, Class<T> type) {
        if (type.isInstance(payload)) {
            return type.cast(payload);
        }
        if (payload instanceof JsonObject json) {
            return json.mapTo(type);
        }
        throw new IllegalArgumentException("expected a " + type.getSimpleName() + " or its JSON, got "
                + (payload == null ? "null" : payload.getClass().getName()));
    }
}
