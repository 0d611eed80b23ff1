package dev.mlpipe.broker;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

import dev.mlpipe.model.ResultBatch;
import dev.mlpipe.queue.Item;
import jakarta.inject.Singleton;

/**
 * Broker messages' bodies: a payload's JSON written, and read back from the body's bytes as items or results, with the
 * ObjectMapper Quarkus configured (so a body is the bytes {@code Json.encode} gave, and reading is as strict as a
 * request's). A reader and a writer made once for each type, straight from and to the body's bytes: no look-up of the
 * type's deserializer and no String or Buffer in between for each message, as {@code Json.decodeValue} and
 * {@code Json.encode} had.
 * <p>
 * Read here rather than by a SmallRye message converter because a converter that throws makes SmallRye refuse the
 * message, which the items queue would deliver again for ever; here a malformed message is the caller's to drop. A
 * payload that is already the object (a link in one process, or a test's) is taken as it is.
 */
@Singleton
public class Payloads {

    private final ObjectReader item;
    private final ObjectReader items;
    private final ObjectReader results;
    /** By the payload's class: a writer per type found its serializer once. */
    private final ClassValue<ObjectWriter> writers;

    Payloads(ObjectMapper mapper) {
        this.item = mapper.readerFor(Item.class);
        this.items = mapper.readerFor(Item[].class);
        this.results = mapper.readerFor(ResultBatch.class);
        this.writers = new ClassValue<>() {
            @Override
            protected ObjectWriter computeValue(Class<?> type) {
                return mapper.writerFor(type);
            }
        };
    }

    /** The message body of a payload: its JSON in UTF-8. */
    byte[] write(Object payload) {
        try {
            return writers.get(payload.getClass()).writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write a " + payload.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /**
     * The items of a message: a JSON array is several ({@link ItemMessage}), anything else one.
     *
     * @throws IllegalArgumentException if the payload is neither items nor the JSON of items (or of null)
     */
    List<Item> items(Object payload) {
        if (payload instanceof ItemMessage message) {
            return message.items();
        }
        if (payload instanceof byte[] json && startsAnArray(json)) {
            return Arrays.asList(this.<Item[]>read(json, items, Item[].class));
        }
        return List.of(as(payload, item, Item.class));
    }

    /**
     * @throws IllegalArgumentException if the payload is neither a batch of results nor its JSON (or of null)
     */
    ResultBatch results(Object payload) {
        return as(payload, results, ResultBatch.class);
    }

    private <T> T as(Object payload, ObjectReader reader, Class<T> type) {
        if (type.isInstance(payload)) {
            return type.cast(payload);
        }
        if (payload instanceof byte[] json) {
            return read(json, reader, type);
        }
        throw new IllegalArgumentException("expected a " + type.getSimpleName() + " or its JSON, got "
                + (payload == null ? "null" : payload.getClass().getName()));
    }

    private <T> T read(byte[] json, ObjectReader reader, Class<?> type) {
        T value;
        try {
            value = reader.readValue(json);
        } catch (IOException unreadable) {
            throw new IllegalArgumentException(unreadable.getMessage(), unreadable);
        }
        if (value == null) {
            throw new IllegalArgumentException("expected the JSON of a " + type.getSimpleName() + ", got null");
        }
        return value;
    }

    /** Whether the JSON in these bytes is an array: its first character, past any white space, a {@code [}. */
    private static boolean startsAnArray(byte[] json) {
        for (byte b : json) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b == '[';
            }
        }
        return false;
    }
}
