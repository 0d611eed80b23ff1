package dev.mlpipe.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Every {@code mlpipe.*} setting; the README's config table lists the same keys. */
@ConfigMapping(prefix = "mlpipe")
public interface MlpipeConfig {

    Queue queue();

    Model model();

    Runs runs();

    Stream stream();

    interface Queue {
        /** Places in the FIFO queue between loaders and the model, shared by all runs. */
        @WithDefault("10")
        @Min(1)
        @Max(100_000)
        int capacity();
    }

    interface Model {
        /** Simulated inference time per item when a run does not set its own. */
        @WithDefault("100")
        @Min(0)
        @Max(60_000)
        int inferenceMs();

        /** Inferences that may run at once; 1 keeps results in FIFO order. */
        @WithDefault("1")
        @Min(1)
        @Max(1024)
        int concurrency();
    }

    interface Runs {
        /** Finished runs kept for late clients; the oldest is evicted first. */
        @WithDefault("20")
        @Min(1)
        int retained();

        /** Runs that may be active at once; one more is answered 429 with Retry-After. */
        @WithDefault("100")
        @Min(1)
        int maxActive();
    }

    interface Stream {
        /** A comment line is sent after this long without any other event. */
        @WithDefault("15s")
        Duration heartbeat();

        /** A running run's stream gets a {@code stats} event this often. */
        @WithDefault("250ms")
        Duration statsInterval();

        /** Result events kept per run for late and reconnecting clients. */
        @WithDefault("10000")
        @Min(1)
        int history();
    }
}
