package dev.mlpipe.broker;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipe.queue.Item;
import dev.mlpipe.support.Rabbit;

/** A dead letter as a worker leaves one ({@link Redeliveries#bury}): the item's JSON, its count and its reason. */
public final class DeadLetters {

    private DeadLetters() {
    }

    /** Puts {@code item} in {@code queue} as a worker does once its deliveries failed {@code failed} times. */
    public static void bury(String queue, Item item, int failed) throws IOException {
        try (Rabbit rabbit = Rabbit.connect()) {
            rabbit.publishToQueue(queue, new ObjectMapper().writeValueAsBytes(item), Map.of(
                    Delivery.FAILED_DELIVERIES, failed, Redeliveries.REASON, Redeliveries.reason(failed, failed)));
        }
    }
}
