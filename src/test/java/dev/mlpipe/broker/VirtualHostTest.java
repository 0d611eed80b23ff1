package dev.mlpipe.broker;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.data;
import static dev.mlpipe.support.Api.results;
import static dev.mlpipe.support.Api.start;
import static dev.mlpipe.support.Api.stream;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Rabbit;
import dev.mlpipe.support.RabbitRequired;
import dev.mlpipe.support.RunSpecs;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * A service given a virtual host ({@code rabbitmq-virtual-host}) declares and uses everything there: the topology
 * connects with the connector's settings, so the channels find the queues it declared, and nothing lands in "/".
 */
@RabbitRequired
@QuarkusTest
@TestProfile(VirtualHostTest.InAVirtualHost.class)
class VirtualHostTest {

    static final String VHOST = "mlpipe-test-vhost-" + UUID.randomUUID().toString().substring(0, 8);
    static final String ITEMS_QUEUE = VHOST + ".items.simulated";

    public static class InAVirtualHost implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "test,broker";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mlpipe.broker.namespace", VHOST, "mlpipe.instance-id", "vhost-test",
                    "rabbitmq-host", Rabbit.HOST, "rabbitmq-port", Integer.toString(Rabbit.PORT),
                    "rabbitmq-virtual-host", VHOST);
        }

        @Override
        public java.util.List<TestResourceEntry> testResources() {
            return java.util.List.of(new TestResourceEntry(VirtualHost.class));
        }
    }

    /** The virtual host exists before the service starts, and goes with everything in it afterwards. */
    public static class VirtualHost implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            Rabbit.addVirtualHost(VHOST);
            return Map.of();
        }

        @Override
        public void stop() {
            Rabbit.deleteVirtualHost(VHOST);
        }
    }

    @Test
    void aRunGoesThroughQueuesDeclaredInTheConfiguredVirtualHost() throws Exception {
        String id = start(RunSpecs.spec().items(1, 20).noSentinel().inferenceMs(1).json());

        assertThat(results(stream(id))).extracting(e -> data(e).getLong("seq")).hasSize(20);
        JsonPath end = awaitEnd(id);
        assertThat(end.getString("state")).isEqualTo("completed");
        assertThat(end.getLong("counts.processed")).isEqualTo(20);
        try (Rabbit inVhost = Rabbit.connect(VHOST); Rabbit inRoot = Rabbit.connect()) {
            assertThat(inVhost.exists(ITEMS_QUEUE)).as("the items queue, in " + VHOST).isTrue();
            assertThat(inVhost.exists(VHOST + ".results.vhost-test")).as("the results queue, in " + VHOST).isTrue();
            assertThat(inRoot.exists(ITEMS_QUEUE)).as("nothing in the default virtual host").isFalse();
        }
    }
}
