package dev.mlpipe.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class ValuesTest {

    private static List<Integer> all(ValueSource source, int sentinel, int maxItems) {
        List<Integer> values = new ArrayList<>();
        new Values(source, OptionalInt.of(sentinel), maxItems).forEachRemaining((int v) -> values.add(v));
        return values;
    }

    private static ValueSource.RandomDraws draws(long seed, int min, int max) {
        return new ValueSource.RandomDraws(seed, min, max);
    }

    @Test
    void aListedRunsValuesAreLetGoOnceTheLastIsDrawnThoughTheLoaderIsStillHeld() {
        int[] items = IntStream.rangeClosed(1, 100_000).toArray();
        WeakReference<int[]> listed = new WeakReference<>(items);
        Values values = new Values(new ValueSource.ListedItems(items), OptionalInt.of(67), 1_000_000);
        items = null;
        int last = 0;
        while (values.hasNext()) {
            last = values.nextInt();
        }

        assertThat(last).as("the sentinel ends it, with most of the list never loaded").isEqualTo(67);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return listed.get() == null;
        });
        assertThat(values.hasNext()).isFalse();
    }

    @Test
    void theSameSeedDrawsTheSameValues() {
        assertThat(all(draws(11, 1, 100), 67, 10_000)).isEqualTo(all(draws(11, 1, 100), 67, 10_000));
        assertThat(all(draws(11, 1, 100), 67, 10_000)).isNotEqualTo(all(draws(12, 1, 100), 67, 10_000));
    }

    @Test
    void aSeedDrawsWhatSplittableRandomsStreamOfItGives() {
        // what earlier versions drew for a seed, so that a seed noted then replays the same run now
        for (ValueSource.RandomDraws draws : List.of(draws(1, 1, 100), draws(42, 1, 2_000_000_000),
                draws(3, Integer.MIN_VALUE, Integer.MAX_VALUE), draws(9, 7, 7))) {
            List<Integer> expected = new SplittableRandom(draws.seed()).longs(draws.min(), draws.max() + 1L)
                    .limit(10_000).mapToObj(v -> (int) v).toList();
            assertThat(all(draws, 0, 10_000)).as("%s", draws).isEqualTo(expected);
        }
    }

    @Test
    void drawsStayWithinMinAndMaxAndStopRightAfterTheSentinel() {
        List<Integer> values = all(draws(5, 10, 20), 17, 10_000);

        assertThat(values).last().isEqualTo(17);
        assertThat(values.subList(0, values.size() - 1)).doesNotContain(17).allSatisfy(v -> assertThat(v).isBetween(10, 20));
    }

    @Test
    void bothEndsOfTheRangeAreDrawn() {
        List<Integer> drawn = IntStream.rangeClosed(1, 50).mapToObj(seed -> all(draws(seed, 1, 3), 3, 10_000))
                .flatMap(List::stream).toList();
        assertThat(drawn).containsOnly(1, 2, 3).contains(1, 2);
    }

    @Test
    void theExtremesOfIntAreDrawable() {
        List<Integer> values = all(draws(1, Integer.MIN_VALUE, Integer.MAX_VALUE), 0, 1000);
        assertThat(values).hasSize(1000).anySatisfy(v -> assertThat(v).isNegative()).anySatisfy(v -> assertThat(v).isPositive());
    }

    @Test
    void maxItemsBoundsTheDraws() {
        assertThat(all(draws(5, 1, 1_000_000), 1, 7)).hasSize(7);
    }

    @Test
    void listedItemsComeInOrderUntilTheSentinelInclusive() {
        assertThat(all(new ValueSource.ListedItems(new int[] { 3, 67, 4 }), 67, 10_000)).containsExactly(3, 67);
        assertThat(all(new ValueSource.ListedItems(new int[] { 3, 5, 4 }), 67, 10_000)).containsExactly(3, 5, 4);
        assertThat(all(new ValueSource.ListedItems(new int[] { 3, 5, 4, 8 }), 67, 2)).containsExactly(3, 5);
    }

    @Test
    void withoutASentinelARunDrawsExactlyMaxItems() {
        Values values = new Values(draws(3, 1, 2), OptionalInt.empty(), 50);
        int drawn = 0;
        while (values.hasNext()) {
            values.nextInt();
            drawn++;
        }
        assertThat(drawn).isEqualTo(50);
    }

    @Test
    void valuesAreDrawnOnlyWhenAsked() {
        Values values = new Values(new ValueSource.ListedItems(new int[] { 1, 2, 3 }), OptionalInt.of(67), 10);

        assertThat(values.nextInt()).isEqualTo(1);
        assertThat(values.hasNext()).isTrue();
        assertThat(values.nextInt()).isEqualTo(2);
        assertThat(values.nextInt()).isEqualTo(3);
        assertThat(values.hasNext()).isFalse();
        assertThatThrownBy(values::nextInt).isInstanceOf(NoSuchElementException.class);
    }
}
