package dev.mlpipe.broker;

import java.util.Map;
import java.util.UUID;

import dev.mlpipe.support.Rabbit;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The service as {@code -Dquarkus.profile=broker} runs it (role all), on the RabbitMQ at 127.0.0.1:5672, with a queue
 * namespace of its own so that it neither meets another test run nor a service a developer has running.
 */
public class BrokerProfile implements QuarkusTestProfile {

    /** One name per test JVM: the broker tests of one JVM share the application, so they share its queue. */
    static final String NAMESPACE = "mlpipe-test-" + UUID.randomUUID().toString().substring(0, 8);
    /** The simulated model's items queue. */
    static final String ITEMS_QUEUE = NAMESPACE + ".items.simulated";
    static final String RESULTS_EXCHANGE = NAMESPACE + ".results";
    static final String INSTANCE = "broker-test";

    @Override
    public String getConfigProfile() {
        return "test,broker";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mlpipe.broker.namespace", NAMESPACE,
                "mlpipe.instance-id", INSTANCE, "rabbitmq-host", Rabbit.HOST,
                "rabbitmq-port", Integer.toString(Rabbit.PORT));
    }
}
