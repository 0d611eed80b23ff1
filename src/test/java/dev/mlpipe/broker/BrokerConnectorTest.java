package dev.mlpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import dev.mlpipe.config.MlpipeConfig.Role;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;

/** Each role moves through the broker only the ends of the links it uses; the others stay idle, and say so. */
class BrokerConnectorTest {

    private static final List<String> CHANNELS = List.of("items-out", "items-in", "results-out", "results-in");

    @Test
    void anApiSendsItemsAndReceivesResultsAWorkerTheOtherWayRoundAndAllBoth() {
        assertThat(CHANNELS).filteredOn(channel -> BrokerConnector.carries(Role.API, channel))
                .containsExactly("items-out", "results-in");
        assertThat(CHANNELS).filteredOn(channel -> BrokerConnector.carries(Role.WORKER, channel))
                .containsExactly("items-in", "results-out");
        assertThat(CHANNELS).filteredOn(channel -> BrokerConnector.carries(Role.ALL, channel))
                .containsExactlyElementsOf(CHANNELS);
        assertThatThrownBy(() -> BrokerConnector.carries(Role.ALL, "items"))
                .hasMessage("channel items is not one of the broker's four");
    }

    @Test
    void anIdleEndDeliversNothingAndRefusesWhatIsSentToIt() {
        // no publisher or consumer: an idle end must not reach the broker at all
        BrokerConnector worker = new BrokerConnector(null, null, Role.WORKER);

        AssertSubscriber<Object> received = AssertSubscriber.create(10);
        Multi.createFrom().publisher(worker.getPublisher(channel("results-in"))).subscribe().withSubscriber(received);
        received.assertSubscribed().assertHasNotReceivedAnyItem().assertNotTerminated();

        AtomicReference<Throwable> refused = new AtomicReference<>();
        Message<String> item = Message.of("an item").withNack(reason -> {
            refused.set(reason);
            return CompletableFuture.completedFuture(null);
        });
        Multi.createFrom().item(item).subscribe().withSubscriber(subscriber(worker.getSubscriber(channel("items-out"))));
        assertThat(refused.get()).hasMessage("a process with role worker sends nothing on channel items-out");
    }

    private static Config channel(String name) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(Map.of("channel-name", name), "test",
                100)).build();
    }

    @SuppressWarnings("unchecked")
    private static Flow.Subscriber<Message<String>> subscriber(Flow.Subscriber<? extends Message<?>> end) {
        return (Flow.Subscriber<Message<String>>) end;
    }
}
