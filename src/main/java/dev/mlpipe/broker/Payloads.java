package dev.mlpipe.broker;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.Json;

/**
 * Payloads as they arrive: the object itself in one process, the bytes of its JSON from a broker
 * ({@link BrokerConsumer}). Read here rather than by a SmallRye message converter because a converter that throws
 * makes SmallRye refuse the message, which the items queue would deliver again for ever; here a malformed message is
 * the caller's to drop.
 */
public final class Payloads {

    private Payloads() {
    }

    /**
     * @throws IllegalArgumentException if the payload is neither a {@code type} nor bytes, or its JSON is null
     * @throws io.vertx.core.json.DecodeException if the bytes are not the JSON of a {@code type}
     */
    public static <T> T as(Object payload, Class<T> type) {
        if (type.isInstance(payload)) {
            return type.cast(payload);
        }
        if (payload instanceof byte[] json) {
            T value = Json.decodeValue(Buffer.buffer(json), type);
            if (value == null) {
                throw new IllegalArgumentException("expected the JSON of a " + type.getSimpleName() + ", got null");
            }
            return value;
        }
        throw new IllegalArgumentException("expected a " + type.getSimpleName() + " or its JSON, got "
                + (payload == null ? "null" : payload.getClass().getName()));
    }
}
