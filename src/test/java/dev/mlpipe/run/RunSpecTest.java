package dev.mlpipe.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.mlpipe.problem.InvalidFieldException;
import dev.mlpipe.support.RunSpecs;

class RunSpecTest {

    @Test
    void anEmptySpecGetsTheDocumentedDefaultsAndAReplayableSeed() {
        RunSpec spec = RunSpec.defaults().resolve(100);

        assertThat(spec).extracting(RunSpec::min, RunSpec::max, RunSpec::sentinel, RunSpec::maxItems,
                RunSpec::loadIntervalMs, RunSpec::inferenceMs, RunSpec::overflow)
                .containsExactly(1, 100, 67, 10_000, 0, 100, Overflow.BLOCK);
        assertThat(spec.seed()).as("exact in a browser").isNotNull().isBetween(0L, 1L << 53);
    }

    @Test
    void givenFieldsWin() {
        RunSpec spec = RunSpecs.parse("{\"seed\":-4,\"min\":-10,\"max\":10,\"sentinel\":0,\"inferenceMs\":3,\"overflow\":\"drop\"}")
                .resolve(100);

        assertThat(spec.seed()).isEqualTo(-4);
        assertThat(spec.inferenceMs()).isEqualTo(3);
        assertThat(spec.overflow()).isEqualTo(Overflow.DROP);
    }

    @Test
    void anItemsRunHasNoRandomFieldsAndMayOmitTheSentinel() {
        RunSpec spec = RunSpecs.parse("{\"items\":[500,600]}").resolve(100);

        assertThat(spec.seed()).isNull();
        assertThat(spec.min()).isNull();
        assertThat(spec.items()).containsExactly(500, 600);
    }

    @Test
    void rulesAcrossFieldsNameTheFieldToFix() {
        assertThatThrownBy(() -> RunSpecs.parse("{\"min\":5,\"max\":5}").resolve(1))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("min"));
        assertThatThrownBy(() -> RunSpecs.parse("{\"max\":50}").resolve(1))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("sentinel"));
        assertThatThrownBy(() -> RunSpecs.parse("{\"items\":[1],\"max\":50}").resolve(1))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("max"));
    }
}
