package dev.mlpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/** A sender hears once what became of each message it publishes: a second word on it would settle an item twice. */
class ConfirmsTest {

    private final List<Boolean> told = new CopyOnWriteArrayList<>();
    private final Message<String> message = Confirms.told("results", told::add);

    @Test
    void aConfirmedMessageIsToldConfirmedOnce() {
        message.ack();
        message.ack();
        message.nack(new IllegalStateException("the channel closed"));

        assertThat(told).containsExactly(true);
    }

    @Test
    void aRefusedMessageIsToldRefusedOnce() {
        message.nack(new IllegalStateException("the queue is full"));
        message.ack();

        assertThat(told).containsExactly(false);
    }
}
