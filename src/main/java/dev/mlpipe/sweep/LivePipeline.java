package dev.mlpipe.sweep;

import java.util.Optional;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.config.PipelineSettings;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The running pipeline's settings as {@code PUT /api/pipeline} reads and changes them: a sweep's steps change them the
 * same way. With a broker they are not one process's to change, so a sweep that would is refused up front.
 */
@ApplicationScoped
public class LivePipeline implements PipelineControl {

    private final PipelineSettings settings;
    private final double batchItemCost;

    LivePipeline(PipelineSettings settings, MlpipeConfig config) {
        this.settings = settings;
        this.batchItemCost = config.model().batchItemCost();
    }

    @Override
    public PipelineSetup current() {
        PipelineSettings.Settings now = settings.now();
        return new PipelineSetup(now.capacity(), now.concurrency(), now.maxBatchSize(), now.batchDelayNanos() / 1e6,
                batchItemCost);
    }

    @Override
    public void apply(PipelineSetup next) {
        settings.change(new PipelineSettings.Change(next.capacity(), next.concurrency(), next.maxBatchSize(),
                next.batchDelayMs()));
    }

    @Override
    public Optional<String> unavailable() {
        return settings.refusal();
    }
}
