package dev.mlpipe.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/** The items' times as a Prometheus scraper reads them: the histograms Micrometer's timers gave, bucket by bucket. */
class ItemTimesTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PipelineMetrics metrics = new PipelineMetrics(registry);

    private double sample(String text, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        assertThat(m.find()).as("%s in%n%s", series, text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void eachTimeCountsInTheFirstBucketItFitsAndInEveryOneAbove() {
        PipelineMetrics.Tally tally = metrics.of("simulated").tally((worker, items) -> { });
        tally.processed(5, 1, 10, "w"); // queue wait, inference, total, in microseconds
        tally.processed(10, 1, 11, "w"); // on a bound: counted in it (le)
        tally.processed(11, 1, 2_000, "w");
        tally.processed(70_000_000, 1, 80_000_000, "w"); // beyond the last bound, a minute
        tally.flush();

        String text = registry.scrape();
        String wait = "mlpipe_item_queue_wait_seconds";
        assertThat(sample(text, wait + "_bucket{model=\"simulated\",le=\"1.0E-5\",}")).isEqualTo(2);
        assertThat(sample(text, wait + "_bucket{model=\"simulated\",le=\"2.5E-5\",}")).isEqualTo(3);
        assertThat(sample(text, wait + "_bucket{model=\"simulated\",le=\"60.0\",}")).isEqualTo(3);
        assertThat(sample(text, wait + "_bucket{model=\"simulated\",le=\"+Inf\",}")).isEqualTo(4);
        assertThat(sample(text, wait + "_count{model=\"simulated\",}")).isEqualTo(4);
        assertThat(sample(text, wait + "_sum{model=\"simulated\",}")).isCloseTo(70.000026, within(1e-9));
        assertThat(sample(text, wait + "_max{model=\"simulated\",}")).isEqualTo(70.0);
        assertThat(sample(text, "mlpipe_item_inference_seconds_bucket{model=\"simulated\",le=\"1.0E-5\",}"))
                .isEqualTo(4);
        assertThat(sample(text, "mlpipe_item_total_seconds_bucket{model=\"simulated\",le=\"0.0025\",}"))
                .isEqualTo(3);
        assertThat(sample(text, "mlpipe_item_total_seconds_max{model=\"simulated\",}")).isEqualTo(80.0);
        assertThat(text).contains("# TYPE mlpipe_item_total_seconds histogram");
    }

    @Test
    void aRunsTallyReachesTheScrapeAtItsFlushAndOnlyOnce() {
        PipelineMetrics.Tally tally = metrics.of("simulated").tally((worker, items) -> { });
        tally.processed(30, 2, 40, "w");
        tally.processed(400, 2, 500, "w");
        String wait = "mlpipe_item_queue_wait_seconds";
        assertThat(sample(registry.scrape(), wait + "_count{model=\"simulated\",}")).as("before the flush").isZero();

        tally.flush();
        tally.flush(); // nothing new: adds nothing
        String text = registry.scrape();
        assertThat(sample(text, wait + "_count{model=\"simulated\",}")).isEqualTo(2);
        assertThat(sample(text, wait + "_bucket{model=\"simulated\",le=\"5.0E-5\",}")).isEqualTo(1);
        assertThat(sample(text, wait + "_sum{model=\"simulated\",}")).isCloseTo(0.00043, within(1e-12));
        assertThat(sample(text, "mlpipe_items_total{model=\"simulated\",outcome=\"processed\",}")).isEqualTo(2);

        tally.processed(10, 2, 20, "w");
        tally.flush();
        text = registry.scrape();
        assertThat(sample(text, wait + "_count{model=\"simulated\",}")).isEqualTo(3);
        assertThat(sample(text, wait + "_sum{model=\"simulated\",}")).isCloseTo(0.00044, within(1e-12));
        assertThat(sample(text, wait + "_max{model=\"simulated\",}")).as("the longest, not the latest")
                .isEqualTo(0.0004);
        assertThat(sample(text, "mlpipe_items_total{model=\"simulated\",outcome=\"processed\",}")).isEqualTo(3);
    }

    @Test
    void aBatchsInferenceCountedOnceForItsItemsScrapesAsIfEachItemHadBeenCounted() {
        PipelineMetrics.Tally itemByItem = metrics.of("simulated").tally((worker, items) -> { });
        PipelineMetrics.Tally batched = metrics.of("digits").tally((worker, items) -> { });
        long[][] items = { { 30, 400 }, { 30, 400 }, { 30, 400 }, { 700, 900 } }; // queue wait, total
        for (long[] item : items) {
            itemByItem.processed(item[0], 300, item[1], "w");
            batched.processed(item[0], item[1], "w");
        }
        batched.inferred(300, items.length);
        itemByItem.flush();
        batched.flush();

        String text = registry.scrape();
        for (String name : new String[] { "mlpipe_item_queue_wait_seconds", "mlpipe_item_inference_seconds",
                "mlpipe_item_total_seconds" }) {
            for (String series : new String[] { "_count", "_sum", "_max", "_bucket{model=\"%s\",le=\"5.0E-5\",}",
                    "_bucket{model=\"%s\",le=\"2.5E-4\",}", "_bucket{model=\"%s\",le=\"5.0E-4\",}" }) {
                String bySeries = series.startsWith("_bucket") ? name + series : name + series + "{model=\"%s\",}";
                assertThat(sample(text, bySeries.formatted("digits")))
                        .as(bySeries.formatted("digits")).isEqualTo(sample(text, bySeries.formatted("simulated")));
            }
        }
        assertThat(sample(text, "mlpipe_item_inference_seconds_count{model=\"digits\",}")).isEqualTo(4);
        assertThat(sample(text, "mlpipe_item_inference_seconds_sum{model=\"digits\",}")).isCloseTo(0.0012,
                within(1e-12));
    }

    @Test
    void aValueRepeatedAfterAFlushCountsAgain() {
        PipelineMetrics.Tally tally = metrics.of("simulated").tally((worker, items) -> { });
        tally.processed(30, 2, 40, "w");
        tally.flush();
        tally.processed(30, 2, 40, "w"); // the same values as the last before the flush
        tally.processed(30, 2, 40, "w");
        tally.flush();

        String text = registry.scrape();
        String wait = "mlpipe_item_queue_wait_seconds";
        assertThat(sample(text, wait + "_bucket{model=\"simulated\",le=\"5.0E-5\",}")).isEqualTo(3);
        assertThat(sample(text, wait + "_count{model=\"simulated\",}")).isEqualTo(3);
        assertThat(sample(text, wait + "_sum{model=\"simulated\",}")).isCloseTo(0.00009, within(1e-12));
        assertThat(sample(text, wait + "_max{model=\"simulated\",}")).isEqualTo(0.00003);
    }

    @Test
    void eachModelsItemsAndBatchesCountInItsOwnSeries() {
        PipelineMetrics.Tally simulated = metrics.of("simulated").tally((worker, items) -> { });
        PipelineMetrics.Tally digits = metrics.of("digits").tally((worker, items) -> { });
        simulated.processed(30, 2, 40, "w");
        digits.processed(30, 2, 40, "w");
        digits.processed(30, 2, 40, "w");
        simulated.flush();
        digits.flush();
        metrics.of("digits").batch(2);
        metrics.of("digits").failed();

        String text = registry.scrape();
        assertThat(sample(text, "mlpipe_item_total_seconds_count{model=\"simulated\",}")).isEqualTo(1);
        assertThat(sample(text, "mlpipe_item_total_seconds_count{model=\"digits\",}")).isEqualTo(2);
        assertThat(sample(text, "mlpipe_items_total{model=\"digits\",outcome=\"processed\",}")).isEqualTo(2);
        assertThat(sample(text, "mlpipe_items_total{model=\"digits\",outcome=\"failed\",}")).isEqualTo(1);
        assertThat(sample(text, "mlpipe_items_total{model=\"simulated\",outcome=\"failed\",}")).isZero();
        assertThat(sample(text, "mlpipe_batch_size_sum{model=\"digits\",}")).isEqualTo(2);
        assertThat(sample(text, "mlpipe_batch_size_bucket{model=\"digits\",le=\"2.0\",}")).isEqualTo(1);
        assertThat(sample(text, "mlpipe_batch_size_count{model=\"simulated\",}")).isZero();
    }

    @Test
    void theBucketOfEveryValueIsTheFirstBoundAtLeastIt() {
        for (long us = 0; us <= 200_000; us++) {
            assertThat(ItemTimes.bucket(us)).as("%d us", us).isEqualTo(firstAtLeast(us));
        }
        for (long us : new long[] { 59_999_999, 60_000_000, 60_000_001, 1L << 40, Long.MAX_VALUE }) {
            assertThat(ItemTimes.bucket(us)).as("%d us", us).isEqualTo(firstAtLeast(us));
        }
    }

    private static int firstAtLeast(long us) {
        int i = 0;
        while (i < ItemTimes.BOUNDS_US.length && ItemTimes.BOUNDS_US[i] < us) {
            i++;
        }
        return i;
    }

    @Test
    void aFreshModelHasEmptyHistograms() {
        metrics.of("simulated");
        String text = registry.scrape();

        assertThat(sample(text, "mlpipe_item_inference_seconds_count{model=\"simulated\",}")).isZero();
        assertThat(sample(text, "mlpipe_item_inference_seconds_bucket{model=\"simulated\",le=\"+Inf\",}")).isZero();
        assertThat(sample(text, "mlpipe_item_inference_seconds_max{model=\"simulated\",}")).isZero();
    }
}
