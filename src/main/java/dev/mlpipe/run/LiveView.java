package dev.mlpipe.run;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import dev.mlpipe.observe.RunSeries;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a {@code stats} event carries: the run's view, as {@code GET /api/runs/{id}} has it, and the newest points of
 * its series, so a live chart grows without asking for the whole series each time.
 */
@RegisterForReflection // serialized into events, outside any REST signature
public record LiveView(@JsonUnwrapped RunView run, RunSeries.View series) {
}
