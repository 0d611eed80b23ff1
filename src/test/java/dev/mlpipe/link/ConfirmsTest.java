package dev.mlpipe.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/**
 * A sender hears once what became of each message it publishes, even of one the RabbitMQ client forgot across a
 * reconnection: a worker's items held unacknowledged for ever would hold its prefetch, and it would be sent nothing
 * more.
 */
class ConfirmsTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);

    private final List<Boolean> told = new CopyOnWriteArrayList<>();
    private final Message<String> message = Confirms.awaited("results", TIMEOUT, told::add);

    @Test
    void aConfirmedMessageIsToldConfirmedOnce() {
        message.ack();
        message.ack();

        await().atMost(Duration.ofSeconds(2)).until(() -> !told.isEmpty());
        await().during(TIMEOUT.multipliedBy(2)).atMost(Duration.ofSeconds(2)).until(() -> told.size() == 1);
        assertThat(told).containsExactly(true);
    }

    @Test
    void aRefusedMessageIsToldRefused() {
        message.nack(new IllegalStateException("the queue is full"));

        await().atMost(Duration.ofSeconds(2)).until(() -> !told.isEmpty());
        assertThat(told).containsExactly(false);
    }

    @Test
    void aMessageTheClientForgotIsToldRefusedAfterTheTimeoutAndALateConfirmChangesNothing() {
        List<Boolean> forgotten = new CopyOnWriteArrayList<>();
        Message<String> lost = Confirms.awaited("results", Duration.ofSeconds(2), forgotten::add);
        assertThat(forgotten).as("told before the timeout").isEmpty();

        await().atMost(Duration.ofSeconds(5)).until(() -> !forgotten.isEmpty());
        assertThat(forgotten).containsExactly(false);
        lost.ack(); // the broker had it after all: the api drops the second result
        await().during(TIMEOUT).atMost(Duration.ofSeconds(2)).until(() -> forgotten.size() == 1);
    }
}
