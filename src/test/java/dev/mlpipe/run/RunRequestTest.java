package dev.mlpipe.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import dev.mlpipe.load.ValueSource;
import dev.mlpipe.queue.Overflow;
import dev.mlpipe.support.RunSpecs;

class RunRequestTest {

    private static final Duration DAY = Duration.ofHours(24);

    @Test
    void anEmptySpecGetsTheDocumentedDefaultsAndAReplayableSeed() {
        RunSpec spec = RunRequest.defaults().resolve(100, DAY);

        assertThat(spec.source()).isInstanceOfSatisfying(ValueSource.RandomDraws.class, draws -> {
            assertThat(draws.min()).isEqualTo(1);
            assertThat(draws.max()).isEqualTo(100);
            assertThat(draws.seed()).as("exact in a browser").isBetween(0L, 1L << 53);
        });
        assertThat(spec.sentinel()).hasValue(67);
        assertThat(spec).extracting(RunSpec::maxItems, RunSpec::loadIntervalMs, RunSpec::inferenceMs, RunSpec::overflow)
                .containsExactly(10_000, 0, 100, Overflow.BLOCK);
    }

    @Test
    void givenFieldsWin() {
        RunSpec spec = RunSpecs.parse(RunSpecs.spec().seed(-4).min(-10).max(10).sentinel(0).inferenceMs(3)
                .overflow("drop").json()).resolve(100, DAY);

        assertThat(spec.source()).isEqualTo(new ValueSource.RandomDraws(-4, -10, 10));
        assertThat(spec.inferenceMs()).isEqualTo(3);
        assertThat(spec.overflow()).isEqualTo(Overflow.DROP);
    }

    @Test
    void anItemsRunListsItsValuesAndMayOmitTheSentinel() {
        RunSpec spec = RunSpecs.parse(RunSpecs.spec().items(List.of(500, 600)).json()).resolve(100, DAY);

        assertThat(spec.source()).isInstanceOfSatisfying(ValueSource.ListedItems.class,
                listed -> assertThat(listed.items()).containsExactly(500, 600));
    }

    @Test
    void rulesAcrossFieldsNameTheFieldToFix() {
        assertThatThrownBy(() -> RunSpecs.parse(RunSpecs.spec().min(5).max(5).json()).resolve(1, DAY))
                .isInstanceOfSatisfying(RunRefused.InvalidField.class, e -> assertThat(e.field()).isEqualTo("min"));
        assertThatThrownBy(() -> RunSpecs.parse(RunSpecs.spec().items(List.of(1)).max(50).json()).resolve(1, DAY))
                .isInstanceOfSatisfying(RunRefused.InvalidField.class, e -> assertThat(e.field()).isEqualTo("max"));
    }

    @Test
    void aSentinelTheDrawsNeverReachLeavesTheRunToEndAtMaxItems() {
        RunSpec spec = RunSpecs.parse("{\"min\":1,\"max\":10}").resolve(1, DAY);

        assertThat(spec.sentinel()).hasValue(67);
        assertThat(spec.maxItems()).isEqualTo(RunRequest.DEFAULT_MAX_ITEMS);
        assertThat(RunSpecs.parse(RunSpecs.spec().sentinel(500).maxItems(20).json()).resolve(1, DAY).maxItems())
                .isEqualTo(20);
    }

    @Test
    void aRunThatCouldLastLongerThanTheLimitIsRefusedNamingTheFields() {
        // a million items of a minute's inference: almost two years at worst
        assertThatThrownBy(() -> RunSpecs.parse(RunSpecs.spec().maxItems(1_000_000).inferenceMs(60_000).json())
                .resolve(1, DAY))
                .isInstanceOfSatisfying(RunRefused.InvalidField.class, e -> {
                    assertThat(e.field()).isEqualTo("maxItems");
                    assertThat(e.rule()).contains("loadIntervalMs", "inferenceMs", "mlpipe.runs.max-duration",
                            "16666.7 h", "24.0 h");
                });
        // a listed run lasts as long as its list (up to maxItems): 100,000 items at 1 s are 27.8 h
        String listed = RunSpecs.spec().items(Collections.nCopies(100_000, 5)).noSentinel().maxItems(100_000)
                .inferenceMs(1000).json();
        assertThatThrownBy(() -> RunSpecs.parse(listed).resolve(1, DAY))
                .isInstanceOfSatisfying(RunRefused.InvalidField.class, e -> assertThat(e.field()).isEqualTo("items"));

        // right at the limit is allowed, and so is the default spec at the default inference
        RunSpecs.parse(RunSpecs.spec().maxItems(86_400).loadIntervalMs(500).inferenceMs(500).json()).resolve(1, DAY);
        RunRequest.defaults().resolve(100, DAY);
    }

    @Test
    void aTensorRunsWorstCaseCountsItsModelsTimePerItemBesideTheLoadInterval() {
        RunSpec spec = new RunSpec("digits", new ValueSource.RandomRows(1, 64, 0, 16), OptionalInt.empty(), 1000, 2, 0,
                Overflow.BLOCK, 3, 0, 0.25);

        assertThat(spec.worstCase()).isEqualTo(Duration.ofMillis(2250)); // 1,000 x (2 + 0.25) ms
        assertThat(new RunSpec(new ValueSource.RandomDraws(1, 1, 100), OptionalInt.empty(), 1000, 2, 5,
                Overflow.BLOCK, 3, 0).worstCase()).as("a simulated run: its inferenceMs")
                .isEqualTo(Duration.ofMillis(7000));
    }
}
