package dev.mlpipe.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import dev.mlpipe.load.ValueSource;
import dev.mlpipe.observe.Verdict;
import dev.mlpipe.queue.Overflow;
import dev.mlpipe.run.RunRequest;
import dev.mlpipe.run.RunSpec;

/** What a sweep predicts for a deterministic model, and where it finds a curve saturating. */
class TheoryTest {

    private static final PipelineSetup ONE_SLOT = new PipelineSetup(10, 1, 1, 0, 0.05);

    @Test
    void theCeilingIsSlotsTimesBatchOverTheBatchsTime() {
        assertThat(ONE_SLOT.ceiling(10)).isEqualTo(100.0);
        assertThat(new PipelineSetup(10, 4, 1, 0, 0.05).ceiling(10)).isEqualTo(400.0);
        // a batch of 8 takes 10 x (1 + 0.05 x 7) = 13.5 ms: 8 items in 13.5 ms
        assertThat(new PipelineSetup(10, 1, 8, 0, 0.05).ceiling(10)).isCloseTo(8000 / 13.5, within(1e-9));
        assertThat(ONE_SLOT.ceiling(0)).as("inference that takes no time has no ceiling in theory").isNull();
    }

    @Test
    void thePredictionIsTheLowerOfPaceAndCeiling() {
        SweepPlan.Point paced = point(0, 20, 10);
        assertThat(paced.pace()).isEqualTo(50.0);
        assertThat(paced.predicted()).isEqualTo(50.0);
        assertThat(paced.modelBound()).isFalse();

        SweepPlan.Point even = point(1, 10, 10);
        assertThat(even.predicted()).isEqualTo(100.0);
        assertThat(even.modelBound()).as("the loader offers what the model can do: it is the model that limits").isTrue();

        SweepPlan.Point unpaced = point(2, 0, 10);
        assertThat(unpaced.pace()).isNull();
        assertThat(unpaced.predicted()).isEqualTo(100.0);
        assertThat(unpaced.modelBound()).isTrue();

        SweepPlan.Point instant = point(3, 5, 0);
        assertThat(instant.predicted()).isEqualTo(200.0);
        assertThat(instant.modelBound()).isFalse();

        SweepPlan.Point unboundedBothWays = point(4, 0, 0);
        assertThat(unboundedBothWays.predicted()).as("an unpaced loader and a model of no time: theory has no figure")
                .isNull();
        assertThat(unboundedBothWays.modelBound()).isFalse();
    }

    @Test
    void aCurveSaturatesAtTheFirstStepAfterWhichThroughputGrowsLessThanFivePercentWhileP99Grows() {
        List<SweepPlan.Point> points = List.of(point(0, 40, 10), point(1, 20, 10), point(2, 10, 10), point(3, 5, 10),
                point(4, 0, 10));
        List<Step> steps = List.of(step(0, 25, 11), step(1, 50, 11), step(2, 97, 12), step(3, 99, 116), step(4, 99, 128));

        List<Saturation> found = Saturation.of(points, steps);

        assertThat(found).hasSize(1);
        assertThat(found.get(0).step()).isEqualTo(2);
        assertThat(found.get(0).predictedStep()).isEqualTo(2);
        assertThat(found.get(0).reason()).contains("97.0 to 99.0 items/s", "12.0 to 116.0 ms");
    }

    @Test
    void aCurveWhoseThroughputKeepsGrowingOrWhoseP99DoesNotGrowHasNoSaturationPoint() {
        List<SweepPlan.Point> points = List.of(point(0, 40, 10), point(1, 20, 10), point(2, 12, 10));

        assertThat(Saturation.of(points, List.of(step(0, 25, 11), step(1, 50, 11), step(2, 80, 12))).get(0).step())
                .isNull();
        assertThat(Saturation.of(points, List.of(step(0, 25, 11), step(1, 25.5, 11), step(2, 25.6, 10))).get(0).step())
                .as("flat throughput, p99 not growing").isNull();
    }

    @Test
    void eachValueOfAGridsSecondAxisIsACurveOfItsOwn() {
        List<SweepPlan.Point> points = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        int index = 0;
        for (int inferenceMs : new int[] { 10, 20 }) {
            for (int interval : new int[] { 20, 0 }) {
                points.add(point(index, interval, inferenceMs, Map.of("inferenceMs", inferenceMs)));
                steps.add(step(index, interval == 20 ? 50 : 1000.0 / inferenceMs, interval == 20 ? 11 : 100));
                index++;
            }
        }

        List<Saturation> found = Saturation.of(points, steps);

        assertThat(found).extracting(Saturation::series).containsExactly(Map.of("inferenceMs", 10),
                Map.of("inferenceMs", 20));
        assertThat(found.get(0).step()).as("50 -> 100 items/s: still growing").isNull();
        assertThat(found.get(1).step()).as("50 -> 50 items/s at 20 ms while p99 grows").isEqualTo(2);
        assertThat(found.get(1).predictedStep()).as("20 ms: offered 50/s meets the ceiling of 50/s").isEqualTo(2);
    }

    private static SweepPlan.Point point(int index, int loadIntervalMs, int inferenceMs) {
        return point(index, loadIntervalMs, inferenceMs, Map.of());
    }

    private static SweepPlan.Point point(int index, int loadIntervalMs, int inferenceMs, Map<String, Integer> series) {
        RunSpec spec = new RunSpec(new ValueSource.RandomDraws(1, 1, 100), OptionalInt.empty(), 100, loadIntervalMs,
                inferenceMs, Overflow.BLOCK, 3, 0);
        Map<String, Integer> at = new LinkedHashMap<>();
        at.put("loadIntervalMs", loadIntervalMs);
        at.putAll(series);
        return SweepPlan.Point.of(index, at, series, RunRequest.defaults(), spec, ONE_SLOT);
    }

    private static Step step(int index, double throughput, double p99) {
        Step.Latency total = new Step.Latency(p99 / 2, p99 * 0.9, p99 * 0.95, p99, p99 / 2);
        return new Step(index, Map.of(), List.of(), ONE_SLOT, null, null, null, throughput,
                new Step.Spread(throughput, throughput, 0, false), total, total, total, 0, 1, Verdict.BALANCED, "",
                null, new Step.LittlesLaw(0, 0, null, true));
    }
}
