package dev.mlpipe.sweep;

import java.util.Optional;

import dev.mlpipe.config.MlpipeConfig;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The pipeline's settings as the service started with them, which nothing changes yet: a sweep that would vary them
 * is refused until live settings ({@code PUT /api/pipeline}) provide a {@link PipelineControl} that applies them.
 */
@ApplicationScoped
@DefaultBean
public class FixedPipeline implements PipelineControl {

    private final PipelineSettings settings;

    FixedPipeline(MlpipeConfig config) {
        this.settings = new PipelineSettings(config.queue().capacity(), config.model().concurrency(),
                config.model().maxBatchSize(), (int) config.model().batchDelay().toMillis(),
                config.model().batchItemCost());
    }

    @Override
    public PipelineSettings current() {
        return settings;
    }

    @Override
    public void apply(PipelineSettings next) {
        throw new UnsupportedOperationException(unavailable().orElseThrow());
    }

    @Override
    public Optional<String> unavailable() {
        return Optional.of("the pipeline's settings cannot change while the service runs yet (that needs live "
                + "settings, PUT /api/pipeline); restart it with other mlpipe.queue.* and mlpipe.model.* settings, or "
                + "vary a run's field");
    }
}
