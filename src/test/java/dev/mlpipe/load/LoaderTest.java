package dev.mlpipe.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.mlpipe.run.RunSpec;
import dev.mlpipe.support.RunSpecs;

class LoaderTest {

    private static RunSpec spec(String json) {
        return RunSpecs.parse(json).resolve(0);
    }

    private static List<Integer> all(RunSpec spec) {
        List<Integer> values = new ArrayList<>();
        Loader.of(spec).forEachRemaining(values::add);
        return values;
    }

    @Test
    void theSameSeedDrawsTheSameValues() {
        assertThat(all(spec("{\"seed\":11}"))).isEqualTo(all(spec("{\"seed\":11}")));
        assertThat(all(spec("{\"seed\":11}"))).isNotEqualTo(all(spec("{\"seed\":12}")));
    }

    @Test
    void drawsStayWithinMinAndMaxAndStopRightAfterTheSentinel() {
        List<Integer> values = all(spec("{\"seed\":5,\"min\":10,\"max\":20,\"sentinel\":17}"));

        assertThat(values).last().isEqualTo(17);
        assertThat(values.subList(0, values.size() - 1)).doesNotContain(17).allSatisfy(v -> assertThat(v).isBetween(10, 20));
    }

    @Test
    void bothEndsOfTheRangeAreDrawn() {
        List<Integer> drawn = IntStream.rangeClosed(1, 50)
                .mapToObj(seed -> all(spec("{\"seed\":" + seed + ",\"min\":1,\"max\":3,\"sentinel\":3}")))
                .flatMap(List::stream).toList();
        assertThat(drawn).containsOnly(1, 2, 3).contains(1, 2);
    }

    @Test
    void theExtremesOfIntAreDrawable() {
        List<Integer> values = all(spec("{\"seed\":1,\"min\":-2147483648,\"max\":2147483647,\"sentinel\":0,\"maxItems\":1000}"));
        assertThat(values).hasSize(1000).anySatisfy(v -> assertThat(v).isNegative()).anySatisfy(v -> assertThat(v).isPositive());
    }

    @Test
    void maxItemsBoundsTheDraws() {
        assertThat(all(spec("{\"seed\":5,\"min\":1,\"max\":1000000,\"sentinel\":1,\"maxItems\":7}"))).hasSize(7);
    }

    @Test
    void itemsAreEmittedInOrderUntilTheSentinelInclusive() {
        assertThat(all(spec("{\"items\":[3,67,4]}"))).containsExactly(3, 67);
        assertThat(all(spec("{\"items\":[3,5,4]}"))).containsExactly(3, 5, 4);
        assertThat(all(spec("{\"items\":[3,5,4,8],\"maxItems\":2}"))).containsExactly(3, 5);
    }

    @Test
    void valuesAreDrawnOnlyWhenAsked() {
        Loader loader = Loader.of(spec("{\"items\":[1,2,3]}"));

        assertThat(loader.next()).isEqualTo(1);
        assertThat(loader.hasNext()).isTrue();
        assertThat(loader.next()).isEqualTo(2);
        assertThat(loader.next()).isEqualTo(3);
        assertThat(loader.hasNext()).isFalse();
        assertThatThrownBy(loader::next).isInstanceOf(java.util.NoSuchElementException.class);
    }
}
