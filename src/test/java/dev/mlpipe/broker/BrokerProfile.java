package dev.mlpipe.broker;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mlpipe.support.Rabbit;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The service as {@code -Dquarkus.profile=broker} runs it (role all), on the RabbitMQ at 127.0.0.1:5672, with a queue
 * namespace of its own so that it neither meets another test run nor a service a developer has running; its queues go
 * once the application of every test class of this profile has stopped ({@link DeletedQueues}). One profile for the
 * broker's tests, so that Quarkus starts the service once for them: {@code simulated} at its defaults
 * (BrokerChannelTest); digits in batches of {@link BrokerModelsTest#DIGITS_BATCH}, so that its prefetch differs from
 * simulated's, and a min-prefetch of {@link #MIN_PREFETCH}, below it (BrokerModelsTest); and two simulated models, each
 * run by one test class alone: {@link BrokerBatchingTest#MODEL} in batches of four, and
 * {@link BatchedMessagesTest#MODEL} with room for several messages of 32 items. Each test ends or cancels the runs it
 * starts.
 */
public class BrokerProfile implements QuarkusTestProfile {

    /** One name per test JVM: the broker tests of one JVM share the application, so they share its queues. */
    static final String NAMESPACE = "mlpipe-test-" + UUID.randomUUID().toString().substring(0, 8);
    /** The simulated model's items queue. */
    static final String ITEMS_QUEUE = NAMESPACE + ".items.simulated";
    static final String DIGITS_QUEUE = NAMESPACE + ".items.digits";
    static final String RESULTS_EXCHANGE = NAMESPACE + ".results";
    static final String DEAD = NAMESPACE + ".dead";
    static final String INSTANCE = "broker-test";
    /** What a worker holds of a model with small batches, at least: below the digits' batches, so each rule shows. */
    static final int MIN_PREFETCH = 64;

    @Override
    public String getConfigProfile() {
        return "test,broker";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        String batched = "mlpipe.models." + BrokerBatchingTest.MODEL;
        String roomy = "mlpipe.models." + BatchedMessagesTest.MODEL;
        return Map.ofEntries(Map.entry("mlpipe.broker.namespace", NAMESPACE),
                Map.entry("mlpipe.instance-id", INSTANCE), Map.entry("rabbitmq-host", Rabbit.HOST),
                Map.entry("rabbitmq-port", Integer.toString(Rabbit.PORT)),
                Map.entry("mlpipe.broker.min-prefetch", Integer.toString(MIN_PREFETCH)),
                Map.entry("mlpipe.models.digits.max-batch-size", Integer.toString(BrokerModelsTest.DIGITS_BATCH)),
                Map.entry("mlpipe.models.digits.batch-delay", "2ms"),
                Map.entry("mlpipe.models.digits.capacity", "64"),
                Map.entry(batched + ".backend", "simulated"),
                Map.entry(batched + ".max-batch-size", Integer.toString(BrokerBatchingTest.MAX)),
                Map.entry(batched + ".batch-delay", "20ms"),
                Map.entry(roomy + ".backend", "simulated"),
                Map.entry(roomy + ".capacity", Integer.toString(BatchedMessagesTest.CAPACITY)));
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(DeletedQueues.class));
    }

    /** Deletes the profile's queues as its application stops: after the last test class that shares it. */
    public static class DeletedQueues implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            return Map.of();
        }

        @Override
        public void stop() {
            try (Rabbit rabbit = Rabbit.connect()) {
                rabbit.delete(RESULTS_EXCHANGE, ITEMS_QUEUE, DIGITS_QUEUE, BrokerBatchingTest.ITEMS_QUEUE,
                        BatchedMessagesTest.ITEMS_QUEUE, RESULTS_EXCHANGE + "." + INSTANCE, DEAD);
            } catch (IOException | RuntimeException noBroker) {
                // without a broker, no test of this profile ran
            }
        }
    }
}
