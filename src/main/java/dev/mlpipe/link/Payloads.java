package dev.mlpipe.link;

import io.vertx.core.json.JsonObject;

/**
 * Payloads as they arrive: the object itself in one process, its JSON from a broker. By hand because the RabbitMQ
 * connector of SmallRye 4.33 has no JSON-to-type converter, and a converter that throws makes SmallRye nack the
 * message, which the items queue would deliver again for ever; here a malformed message is the caller's to drop.
 */
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
