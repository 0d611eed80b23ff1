package dev.mlpipe.broker;

import java.util.concurrent.CompletionStage;

import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The publisher as a {@link BrokerQueue} sees it, for tests: the queue only ever sends {@link Message}s (to hear of
 * their confirms), so a test says what becomes of each one and nothing else.
 */
abstract class MessageEmitter implements Emitter<Object> {

    /** What the test does with a message the queue sent. */
    abstract void sent(Message<?> message);

    @Override
    public final <M extends Message<? extends Object>> void send(M message) {
        sent(message);
    }

    @Override
    public final CompletionStage<Void> send(Object payload) {
        throw new UnsupportedOperationException("the queue sends messages, to hear of their confirms");
    }

    @Override
    public void complete() {
    }

    @Override
    public void error(Exception e) {
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public boolean hasRequests() {
        return true;
    }
}
