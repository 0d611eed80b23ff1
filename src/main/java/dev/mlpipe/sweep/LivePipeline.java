package dev.mlpipe.sweep;

import java.util.Optional;

import dev.mlpipe.config.PipelineSettings;
import dev.mlpipe.model.LoadedModel;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A model's live settings as {@code PUT /api/models/{name}} (or {@code PUT /api/pipeline}, the simulated model's)
 * reads and changes them: a sweep's steps change its model's the same way. With a broker they are not one process's to
 * change, so a sweep that would is refused up front.
 */
@ApplicationScoped
public class LivePipeline {

    /** The control of {@code model}'s settings. */
    PipelineControl of(LoadedModel model) {
        PipelineSettings settings = model.settings();
        double batchItemCost = model.isTensor() ? 0 : model.batchItemCost();
        return new PipelineControl() {
            @Override
            public PipelineSetup current() {
                PipelineSettings.Settings now = settings.now();
                return new PipelineSetup(now.capacity(), now.concurrency(), now.maxBatchSize(),
                        now.batchDelayNanos() / 1e6, batchItemCost);
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
        };
    }
}
