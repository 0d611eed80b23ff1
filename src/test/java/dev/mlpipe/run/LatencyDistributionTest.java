package dev.mlpipe.run;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.cancel;
import static dev.mlpipe.support.Api.start;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.ParsedJson;
import dev.mlpipe.support.RunSpecs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** GET /api/runs/{id}/latency: a run's total latency as a CDF, which the page's Compare draws. */
@QuarkusTest
class LatencyDistributionTest {

    @Test
    void eachShareOfTheItemsGotItsResultWithinItsPointsTime() {
        String id = start(RunSpecs.spec().items(1, 80).noSentinel().inferenceMs(3).json());
        JsonPath run = awaitEnd(id);

        JsonPath cdf = given().get("/api/runs/" + id + "/latency").then().statusCode(200)
                .contentType(ContentType.JSON).extract().jsonPath();
        List<Double> fractions = cdf.getList("points.fraction", Double.class);
        List<Double> ms = cdf.getList("points.ms", Double.class);
        assertThat(cdf.getLong("count")).isEqualTo(run.getLong("counts.processed")).isEqualTo(80);
        assertThat(fractions).as("the fastest, each hundredth, p99.9 and the slowest").hasSize(102)
                .startsWith(0.0, 0.01, 0.02).endsWith(0.98, 0.99, 0.999, 1.0).isSorted();
        assertThat(ms).as("a CDF never falls").isSorted();
        assertThat(ms.get(50)).as("the median, as the run's stats").isEqualTo(run.getDouble("stats.totalMs.p50"));
        assertThat(ms.get(99)).isEqualTo(run.getDouble("stats.totalMs.p99"));
        assertThat(ms.get(101)).as("the slowest").isEqualTo(run.getDouble("stats.totalMs.max"));

        // the items themselves, as the export has every one: each point's share got its result within its time
        List<Double> totals = given().get("/api/runs/" + id + "/results?format=jsonl").then().statusCode(200)
                .extract().asString().lines().map(line -> new ParsedJson(line).getDouble("totalMs")).sorted().toList();
        assertThat(totals).hasSize(80);
        for (int i = 0; i < fractions.size(); i++) {
            double within = ms.get(i) + 0.001;
            long done = totals.stream().filter(t -> t <= within).count();
            assertThat((double) done / totals.size()).as("share within %s ms", ms.get(i))
                    .isGreaterThanOrEqualTo(fractions.get(i));
        }
        assertThat(ms.get(101)).isCloseTo(totals.get(79), within(0.001));
        assertThat(ms.get(0)).as("the fastest, to the histogram's 1%").isCloseTo(totals.get(0),
                within(totals.get(0) * 0.01 + 0.001));
    }

    @Test
    void aRunWithNoItemDoneHasNoPointsAndAnUnknownRunIsNotFound() {
        String id = start(RunSpecs.spec().draws(100).loadIntervalMs(1000).inferenceMs(1000).json());
        try {
            given().get("/api/runs/" + id + "/latency").then().statusCode(200)
                    .body("count", equalTo(0))
                    .body("points", empty());
        } finally {
            cancel(id);
        }
        given().get("/api/runs/0123456789ab/latency").then().statusCode(404);
        given().get("/api/runs/NOT-A-RUN/latency").then().statusCode(400).body(containsString("id"));
    }
}
