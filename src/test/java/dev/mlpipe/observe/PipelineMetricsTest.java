package dev.mlpipe.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;

/** Worker names come from results, over a broker from anyone: as metric tags they are bounded in length and number. */
class PipelineMetricsTest {

    private static final Pattern WORKER_SERIES = Pattern.compile("^mlpipe_worker_items_total\\{worker=\"([^\"]*)\",?} (\\S+)$",
            Pattern.MULTILINE);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final PipelineMetrics metrics = new PipelineMetrics(registry);

    /** Items by worker as the run the tally counts for hears of them. */
    private final Map<String, Long> runWorkers = new TreeMap<>();
    private final PipelineMetrics.Tally tally = metrics.of("simulated")
            .tally((worker, items) -> runWorkers.merge(worker, items, Long::sum));

    private void processedBy(String claimed) {
        tally.processed(1, 1, 1, claimed);
    }

    @Test
    void aThousandWorkersWithLongNamesMakeAtMostSixtyFiveSeriesOfBoundedNames() {
        for (int w = 0; w < 1_000; w++) {
            processedBy("worker-" + w + "-" + "x".repeat(10_000));
        }
        processedBy("worker-0-" + "x".repeat(10_000)); // a known worker is still counted under its own name
        tally.flush();

        List<String> names = new ArrayList<>();
        double items = 0;
        Matcher series = WORKER_SERIES.matcher(registry.scrape());
        while (series.find()) {
            names.add(series.group(1));
            items += Double.parseDouble(series.group(2));
        }
        assertThat(names).hasSize(PipelineMetrics.MAX_WORKERS + 1).contains(PipelineMetrics.OTHER)
                .allSatisfy(name -> assertThat(name).hasSizeLessThanOrEqualTo(PipelineMetrics.MAX_WORKER_NAME));
        assertThat(items).as("every item counted, under some name").isEqualTo(1_001);
        assertThat(runWorkers).as("the run counts them under the same names").hasSize(PipelineMetrics.MAX_WORKERS + 1)
                .containsEntry(PipelineMetrics.OTHER, 1_000L - PipelineMetrics.MAX_WORKERS);
        assertThat(runWorkers.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1_001);
        assertThat(metrics.workerName("worker-0-" + "x".repeat(10_000))).startsWith("worker-0-xxx")
                .hasSize(PipelineMetrics.MAX_WORKER_NAME);
        assertThat(metrics.workerName("worker-999")).as("a newcomer beyond the bound").isEqualTo(PipelineMetrics.OTHER);
    }

    @Test
    void aNameWithinTheBoundsIsKeptAsItIs() {
        String name = "gpu-box-1-4242";
        assertThat(metrics.workerName(name)).isSameAs(name);
        assertThat(metrics.workerName(null)).isEqualTo("unnamed");
        String emoji = "w".repeat(PipelineMetrics.MAX_WORKER_NAME - 1) + "\uD83D\uDE00"; // a pair split at the cut
        assertThat(metrics.workerName(emoji)).hasSize(PipelineMetrics.MAX_WORKER_NAME - 1);
    }
}
