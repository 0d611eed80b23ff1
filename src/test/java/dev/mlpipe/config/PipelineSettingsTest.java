package dev.mlpipe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mlpipe.problem.Problems;

/** The live settings change all together, in order, and not at all with a broker. */
class PipelineSettingsTest {

    private static final PipelineSettings.Settings START = new PipelineSettings.Settings(10, 1, 1, 0);

    private final List<PipelineSettings.Changed> told = new ArrayList<>();

    @Test
    void aChangeKeepsWhatItLeavesOutAndTellsTheStagesBeforeAndAfter() {
        PipelineSettings settings = new PipelineSettings(START, false, told::add);
        assertThat(settings.refusal()).as("a sweep may vary them").isEmpty();

        settings.change(new PipelineSettings.Change(20, null, 8, null));
        settings.change(new PipelineSettings.Change(null, 4, null, 2.5));

        PipelineSettings.Settings middle = new PipelineSettings.Settings(20, 1, 8, 0);
        PipelineSettings.Settings end = new PipelineSettings.Settings(20, 4, 8, 2_500_000);
        assertThat(settings.now()).isEqualTo(end);
        assertThat(told).containsExactly(new PipelineSettings.Changed(START, middle),
                new PipelineSettings.Changed(middle, end));
    }

    @Test
    void withABrokerNothingChangesAndTheAnswerIsAConflictSayingWhy() {
        PipelineSettings settings = new PipelineSettings(START, true, told::add);

        assertThatThrownBy(() -> settings.change(new PipelineSettings.Change(20, null, null, null)))
                .isInstanceOfSatisfying(PipelineSettings.LiveChangeRefused.class, refused -> {
                    assertThat(Problems.of(refused).problem().status()).isEqualTo(409);
                    assertThat(Problems.of(refused).problem().detail()).contains("one process", "mlpipe.broker.enabled");
                    assertThat(settings.refusal()).as("what a sweep that would change them is told")
                            .contains(refused.getMessage());
                });
        assertThat(settings.now()).isEqualTo(START);
        assertThat(told).isEmpty();
    }
}
