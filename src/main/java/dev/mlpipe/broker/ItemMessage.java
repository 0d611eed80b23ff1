package dev.mlpipe.broker;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.mlpipe.queue.Item;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Several items of one loader's chunk in one message to a model's items queue, written as a JSON array of items (one
 * item alone is written as its JSON object): one publish, one confirm and one delivery for them all
 * ({@code mlpipe.broker.items-per-message}). Their run, and so their priority, is one.
 */
@RegisterForReflection // the payload of broker messages, outside any REST signature
record ItemMessage(@JsonValue List<Item> items) {

    /** The payload of a message of these items: the item itself when there is one. */
    static Object of(List<Item> items) {
        return items.size() == 1 ? items.get(0) : new ItemMessage(items);
    }

    int priority() {
        return items.get(0).priority();
    }
}
