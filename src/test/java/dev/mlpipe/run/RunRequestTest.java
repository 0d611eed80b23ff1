package dev.mlpipe.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mlpipe.load.ValueSource;
import dev.mlpipe.queue.Overflow;
import dev.mlpipe.support.RunSpecs;

class RunRequestTest {

    @Test
    void anEmptySpecGetsTheDocumentedDefaultsAndAReplayableSeed() {
        RunSpec spec = RunRequest.defaults().resolve(100);

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
                .overflow("drop").json()).resolve(100);

        assertThat(spec.source()).isEqualTo(new ValueSource.RandomDraws(-4, -10, 10));
        assertThat(spec.inferenceMs()).isEqualTo(3);
        assertThat(spec.overflow()).isEqualTo(Overflow.DROP);
    }

    @Test
    void anItemsRunListsItsValuesAndMayOmitTheSentinel() {
        RunSpec spec = RunSpecs.parse(RunSpecs.spec().items(List.of(500, 600)).json()).resolve(100);

        assertThat(spec.source()).isInstanceOfSatisfying(ValueSource.ListedItems.class,
                listed -> assertThat(listed.items()).containsExactly(500, 600));
    }

    @Test
    void rulesAcrossFieldsNameTheFieldToFix() {
        assertThatThrownBy(() -> RunSpecs.parse(RunSpecs.spec().min(5).max(5).json()).resolve(1))
                .isInstanceOfSatisfying(RunRefused.InvalidField.class, e -> assertThat(e.field()).isEqualTo("min"));
        assertThatThrownBy(() -> RunSpecs.parse(RunSpecs.spec().max(50).json()).resolve(1))
                .isInstanceOfSatisfying(RunRefused.InvalidField.class, e -> assertThat(e.field()).isEqualTo("sentinel"));
        assertThatThrownBy(() -> RunSpecs.parse(RunSpecs.spec().items(List.of(1)).max(50).json()).resolve(1))
                .isInstanceOfSatisfying(RunRefused.InvalidField.class, e -> assertThat(e.field()).isEqualTo("max"));
    }
}
