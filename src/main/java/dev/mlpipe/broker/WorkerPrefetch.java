package dev.mlpipe.broker;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import dev.mlpipe.config.MlpipeConfig;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * How many items a worker may hold unacknowledged (the RabbitMQ channel's prefetch, the connector's
 * {@code max-outstanding-messages}): {@code mlpipe.broker.prefetch-batches} x {@code mlpipe.models.simulated.concurrency} x
 * {@code mlpipe.models.simulated.max-batch-size}, so that each model slot fills whole batches from what it holds while the results of
 * the last ones are on their way and the next items come: a worker that held only what its model runs paid a round
 * trip to the broker per batch. At least {@code mlpipe.broker.min-prefetch}: with batches of one, four items ahead
 * left a fast model waiting for its results' confirms. A factory because a config expression cannot multiply; it reads the three settings as
 * the other sources give them and adds the product below application.properties (ordinal 200), so that a value set
 * there, or in the environment, still wins.
 * <p>
 * The same number bounds what a paused intake (a worker shutting down) keeps of what arrives meanwhile: SmallRye's
 * pause buffer, 128 by default, fails the intake when it overflows, and what has arrived is never more than the
 * prefetch.
 */
public class WorkerPrefetch implements ConfigSourceFactory {

    static final String KEY = "mp.messaging.incoming.items-in.max-outstanding-messages";
    static final String PAUSE_BUFFER_KEY = "mp.messaging.incoming.items-in.pausable.buffer-size";

    @Override
    public Iterable<org.eclipse.microprofile.config.spi.ConfigSource> getConfigSources(ConfigSourceContext context) {
        int prefetch = Math.max(prefetch(number(context, "mlpipe.models.simulated.concurrency"),
                number(context, "mlpipe.models.simulated.max-batch-size"), number(context, "mlpipe.broker.prefetch-batches")),
                floor(number(context, "mlpipe.broker.min-prefetch")));
        // a prefetch an operator set (application.properties, the environment) wins over this one: the buffer follows it
        int sent = number(context, KEY).orElse(prefetch);
        return List.of(new MapBackedConfigSource("mlpipe-worker-prefetch", settings(prefetch, sent), 200) {
        });
    }

    /**
     * The prefetch, and a pause buffer that holds what the prefetch in effect lets the broker send (at least 16, the
     * smallest Mutiny's buffer takes).
     */
    static Map<String, String> settings(int prefetch, int inEffect) {
        return Map.of(KEY, Integer.toString(prefetch), PAUSE_BUFFER_KEY, Integer.toString(Math.max(16, inEffect)));
    }

    /** @return the fewest items a worker holds ahead, {@code mlpipe.broker.min-prefetch} or its default */
    static int floor(OptionalInt minPrefetch) {
        return Math.max(1, Math.min(65_535, minPrefetch.orElse(Integer.parseInt(MlpipeConfig.Broker.MIN_PREFETCH))));
    }

    /** @return the prefetch for these settings, each its default when not set, before the floor */
    static int prefetch(OptionalInt concurrency, OptionalInt maxBatchSize, OptionalInt batches) {
        long product = (long) concurrency.orElse(1) * maxBatchSize.orElse(1)
                * batches.orElse(Integer.parseInt(MlpipeConfig.Broker.PREFETCH_BATCHES));
        return (int) Math.max(1, Math.min(65_535, product)); // AMQP's prefetch count is an unsigned short
    }

    private static OptionalInt number(ConfigSourceContext context, String key) {
        ConfigValue value = context.getValue(key);
        if (value == null || value.getValue() == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(value.getValue().strip()));
        } catch (NumberFormatException e) {
            return OptionalInt.empty(); // the setting's own validation names it at start
        }
    }
}
