package dev.mlpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownListener;
import com.rabbitmq.client.ShutdownSignalException;

import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.queue.Item;

/**
 * What becomes of a published message whose confirm is a no, or never comes: the api publishes its item again, and
 * each time is counted ({@code mlpipe_broker_resends_total}); a confirm that comes after its time-out changes nothing.
 * On a channel that stands in for RabbitMQ's (it confirms what the test says, when it says), on virtual time.
 */
class BrokerLinkTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final VirtualTime time = new VirtualTime();
    private final FakeBroker broker = new FakeBroker();
    private final Resends resends = new Resends();
    private final BrokerPublisher.Link link = new BrokerPublisher.Link(broker::open, "", "test.items", TIMEOUT,
            time::nanoTime, time, resends, TestPayloads.STRICT);
    /** An api's queue of capacity 10, one item a message, publishing through the link. */
    private final BrokerQueue queue = new BrokerQueue("test.items", new Publishing(link),
            new PipelineActivity(10, 1), 10, 1, () -> true, time);

    @Test
    void anItemTheBrokerRefusesIsPublishedAgainAndCounted() throws IOException {
        enter(7);
        assertThat(broker.publishedSeqs()).containsExactly(7L);

        broker.current().confirms.handleNack(1, false); // its queue full
        time.advance(Duration.ofMillis(5)); // the item's pause before it tries again

        assertThat(broker.publishedSeqs()).as("published again").containsExactly(7L, 7L);
        assertThat(resends.count(Resends.Reason.REFUSED)).isEqualTo(1);
        broker.current().confirms.handleAck(2, false);
        assertThat(queue.unconfirmed()).isZero();
    }

    @Test
    void anItemWithNoConfirmWithinTheTimeOutIsPublishedAgainAndCounted() throws IOException {
        enter(7);
        time.advance(TIMEOUT.minusSeconds(1));
        assertThat(broker.publishedSeqs()).as("still waiting for its confirm").containsExactly(7L);
        assertThat(queue.unconfirmed()).isEqualTo(1);

        time.advance(TIMEOUT); // long enough for a look past its time-out, and the item's pause after the refusal

        assertThat(broker.publishedSeqs()).as("published again").containsExactly(7L, 7L);
        assertThat(resends.count(Resends.Reason.TIMED_OUT)).isEqualTo(1);
        assertThat(resends.count(Resends.Reason.REFUSED)).isZero();
        broker.current().confirms.handleAck(2, false);
        assertThat(queue.unconfirmed()).as("the second publish confirmed").isZero();
    }

    @Test
    void aConfirmAfterTheTimeOutSettlesNothingTwice() throws IOException {
        Told late = new Told();
        Told next = new Told();
        link.publish(late.message());
        time.advance(TIMEOUT.multipliedBy(2));
        assertThat(late.outcomes).containsExactly("refused");

        link.publish(next.message());
        broker.current().confirms.handleAck(2, true); // the late confirm of the first, and the second's, at once

        assertThat(late.outcomes).as("told once: refused, never also confirmed").containsExactly("refused");
        assertThat(next.outcomes).containsExactly("confirmed");
        time.advance(TIMEOUT.multipliedBy(2));
        assertThat(next.outcomes).as("a confirmed message never times out").containsExactly("confirmed");
        assertThat(resends.count(Resends.Reason.TIMED_OUT)).isEqualTo(1);
    }

    @Test
    void aChannelThatClosesRefusesOnlyWhatItPublished() throws IOException {
        Told lost = new Told();
        link.publish(lost.message());
        FakeChannel first = broker.current();
        first.close(); // the next publish finds it closed and opens another
        Told next = new Told();
        link.publish(next.message());
        assertThat(broker.opened).hasSize(2);

        first.told(); // its shutdown told late, after the new channel published its first message

        assertThat(lost.outcomes).containsExactly("refused");
        assertThat(next.outcomes).as("not the closed channel's").isEmpty();
        broker.current().confirms.handleAck(1, false);
        assertThat(next.outcomes).containsExactly("confirmed");
        assertThat(resends.count(Resends.Reason.CHANNEL_CLOSED)).isEqualTo(1);
    }

    private void enter(long seq) {
        Item[] chunk = {Item.loaded("0123456789ab", seq, 5, 0, 1, 0, 0)};
        assertThat(queue.enterNow(chunk, 0, 1, true)).isEqualTo(1);
    }

    /** The publisher's thread as the link sees it, without the thread: each message published as it is sent. */
    private static final class Publishing extends MessageEmitter {
        private final BrokerPublisher.Link link;

        Publishing(BrokerPublisher.Link link) {
            this.link = link;
        }

        @Override
        void sent(Message<?> message) {
            link.publish(message);
        }
    }

    /** What a sender was told of one message, each time it was told. */
    private static final class Told {
        final List<String> outcomes = new CopyOnWriteArrayList<>();

        Message<Object> message() {
            return Message.of("{}", () -> {
                outcomes.add("confirmed");
                return CompletableFuture.completedFuture(null);
            }, refused -> {
                outcomes.add("refused");
                return CompletableFuture.completedFuture(null);
            });
        }
    }

    /** The channels the link opened, the newest last. */
    private static final class FakeBroker {
        final List<FakeChannel> opened = new CopyOnWriteArrayList<>();

        Channel open() {
            FakeChannel channel = new FakeChannel();
            opened.add(channel);
            return channel.proxy;
        }

        FakeChannel current() {
            return opened.get(opened.size() - 1);
        }

        /** The seq of each item published, on any channel, in order. */
        List<Long> publishedSeqs() {
            return opened.stream().flatMap(channel -> channel.bodies.stream())
                    .map(body -> Long.parseLong(body.replaceAll(".*\"seq\":(\\d+).*", "$1"))).toList();
        }
    }

    /** An AMQP channel in confirm mode that confirms only what the test says. */
    private static final class FakeChannel implements InvocationHandler {
        final Channel proxy = (Channel) Proxy.newProxyInstance(Channel.class.getClassLoader(),
                new Class<?>[] {Channel.class}, this);
        final List<String> bodies = new CopyOnWriteArrayList<>();
        ConfirmListener confirms;
        ShutdownListener shutdown;
        volatile boolean open = true;
        long next = 1;

        @Override
        public Object invoke(Object self, Method method, Object[] args) {
            switch (method.getName()) {
                case "getNextPublishSeqNo":
                    return next;
                case "basicPublish":
                    bodies.add(new String((byte[]) args[args.length - 1], StandardCharsets.UTF_8));
                    next++;
                    return null;
                case "addConfirmListener":
                    confirms = (ConfirmListener) args[0];
                    return null;
                case "addShutdownListener":
                    shutdown = (ShutdownListener) args[0];
                    return null;
                case "isOpen":
                    return open;
                case "getConnection": // asked once the channel closed: the connection is up, so a new channel is made
                    return Proxy.newProxyInstance(Connection.class.getClassLoader(),
                            new Class<?>[] {Connection.class}, (p, m, a) -> m.getName().equals("isOpen") ? true : null);
                case "hashCode":
                    return System.identityHashCode(self);
                case "equals":
                    return self == args[0];
                default:
                    return null;
            }
        }

        /** Closed, as a channel error closes it: its shutdown listener is told when the test says ({@link #told}). */
        void close() throws IOException {
            open = false;
        }

        void told() throws IOException {
            shutdown.shutdownCompleted(new ShutdownSignalException(false, false, null, proxy));
        }
    }
}
