package dev.mlpipe.dashboard;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import dev.mlpipe.support.Api;
import dev.mlpipe.support.Browser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** A sweep started from the page fills its table step by step, as the API reports it; a bad value is shown. */
@QuarkusTest
class SweepBrowserTest extends PageTest {

    /** The sweep's result scrolled into view, saved as {@code target/screenshots/<name>.png} (the README shows them). */
    private void screenshotOfTheSweep(WebDriver driver, String name) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView()",
                driver.findElement(By.id("sweep-result")));
        browser.screenshot(name);
    }

    /** Read in one script, so that no step event lands between the two counts. */
    @SuppressWarnings("unchecked")
    private static List<Long> rowsAndCurvePoints(WebDriver driver) {
        return (List<Long>) ((JavascriptExecutor) driver).executeScript("""
                return [document.querySelectorAll('#sweep-steps tr').length,
                        Number(document.getElementById('sweep-latency-chart').dataset.points || 0)];""");
    }

    @Test
    void aSweepFromThePageShowsEachStepAndWhereItSaturates() {
        WebDriver driver = open(1280, 1400, page + "#sweeps");
        new Select(driver.findElement(By.id("s-axis"))).selectByValue("loadIntervalMs");
        browser.typeInto("s-values", "20, 10, 5, 0"); // a 10 ms model: loader-bound, then the loader outruns it
        browser.typeInto("s-maxItems", "60");
        browser.typeInto("s-repeats", "1");
        driver.findElement(By.id("sweep-button")).click();

        // while it runs, each look at the page: [table rows, points of the throughput-by-latency chart]
        List<List<Long>> looks = new ArrayList<>();
        Set<String> progress = new LinkedHashSet<>();
        Browser.waitUpTo(driver, Duration.ofSeconds(60)).until(d -> {
            looks.add(rowsAndCurvePoints(d));
            // the state before the progress: the page sets both in one handler, so a state read as completed means
            // the progress read after it is the final one (read the other way round, the end could fall between)
            boolean completed = d.findElement(By.id("sweep-state")).getText().equals("completed");
            progress.add(d.findElement(By.id("sweep-progress")).getText());
            return completed;
        });
        assertThat(progress).as("where the sweep is while it runs, then how many steps it ran")
                .contains("4 of 4 steps").anyMatch(text -> text.matches("step [1-4] of 4"));
        assertThat(looks).as("the curve grows a point with each step's row").allSatisfy(
                look -> assertThat(look.get(1)).isEqualTo(look.get(0)));
        String id = driver.findElement(By.id("sweep-id")).getText();
        JsonPath sweep = given().get("/api/sweeps/" + id).then().statusCode(200).extract().jsonPath();
        List<WebElement> rows = driver.findElements(By.cssSelector("#sweep-steps tr"));
        assertThat(rows).hasSize(4);
        for (int i = 0; i < 4; i++) {
            List<WebElement> cells = rows.get(i).findElements(By.tagName("td"));
            assertThat(cells.get(1).getText()).isEqualTo(sweep.getString("steps[" + i + "].at.loadIntervalMs"));
            assertThat(cells.get(8).getText()).isEqualTo(sweep.getString("steps[" + i + "].verdict"));
        }
        assertThat(driver.findElement(By.id("sweep-saturation")).getText()).isNotBlank();
        WebElement chart = driver.findElement(By.id("sweep-chart"));
        assertThat(chart.getAttribute("data-points")).as("a point per step").isEqualTo("4");
        Integer saturates = sweep.get("saturation[0].step");
        assertThat(driver.findElement(By.id("sweep-latency-chart")).getAttribute("data-points"))
                .as("throughput against p99, a point per step").isEqualTo("4");
        assertThat(chart.getAttribute("data-saturation")).as("the saturation the sweep names, marked")
                .isEqualTo(saturates == null ? "" : saturates.toString());
        assertThat(List.of(chart.getAttribute("data-x-title"), chart.getAttribute("data-y-title"),
                chart.getAttribute("data-y2-title"))).as("each axis named, with its unit")
                .containsExactly("loader pause (ms)", "throughput (items/s)", "p99 latency, load to result (ms)");
        assertThat(chart.getAttribute("aria-label")).contains("Across: loader pause (ms); up: throughput (items/s)");
        WebElement curve = driver.findElement(By.id("sweep-latency-chart"));
        assertThat(List.of(curve.getAttribute("data-x-title"), curve.getAttribute("data-y-title")))
                .containsExactly("p99 latency, load to result (ms)", "throughput (items/s)");
        assertThat(driver.findElement(By.id("sweep-cancel")).isDisplayed()).isFalse();
        String csv = given().accept("text/csv").get("/api/sweeps/" + id).then().statusCode(200).extract().asString();
        given().get(driver.findElement(By.id("sweep-csv")).getAttribute("href")).then().statusCode(200)
                .header("Content-Disposition", startsWith("attachment"))
                .body(equalTo(csv));
        screenshotOfTheSweep(driver, "sweep");
        assertThat(browser.consoleErrors()).isEmpty();

        assertThat(driver.getCurrentUrl()).as("the sweep's address").endsWith("#sweep=" + id);
        assertThat(rows.get(0).findElement(By.cssSelector("a.step-run")).getAttribute("href")).as("a step's run")
                .endsWith("#run=" + sweep.getString("steps[0].runs[0]"));
        try (Browser second = Browser.open(390, 844)) { // a second person, on a phone, from the address
            WebDriver other = second.driver();
            other.get(page + "#sweep=" + id);
            for (int look = 0; look < 2; look++) {
                Browser.waitUpTo(other, Duration.ofSeconds(20)).until(d -> "completed".equals(
                        d.findElement(By.id("sweep-state")).getText())
                        && d.findElements(By.cssSelector("#sweep-steps tr")).size() == 4);
                Browser.waitUpTo(other, Duration.ofSeconds(20)).until(d -> d.findElement(
                        By.cssSelector("#sweep-list a[data-id='" + id + "']")).findElement(By.xpath(".."))
                        .getText().contains("completed · 4 of 4 steps"));
                other.navigate().refresh(); // and once more after a reload
            }
            assertThat(second.consoleErrors()).isEmpty();
        }
    }

    @Test
    void aGridFromThePageDrawsACurvePerValueOfItsSecondAxis() {
        int capacity = Api.pipeline().getInt("capacity");
        WebDriver driver = open(1280, 1400, page + "#sweeps");
        browser.typeInto("s-p-capacity", "4"); // the sweep's own pipeline setting, restored after it
        browser.typeInto("s-values", "2, 4");
        new Select(driver.findElement(By.id("s-axis2"))).selectByValue("concurrency");
        browser.typeInto("s-values2", "1, 2");
        browser.typeInto("s-maxItems", "30");
        browser.typeInto("s-repeats", "1");
        driver.findElement(By.id("sweep-button")).click();

        Browser.waitUpTo(driver, Duration.ofSeconds(60))
                .until(d -> d.findElement(By.id("sweep-state")).getText().equals("completed"));
        String id = driver.findElement(By.id("sweep-id")).getText();
        JsonPath sweep = given().get("/api/sweeps/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(sweep.getMap("spec.vary")).containsOnlyKeys("inferenceMs", "concurrency");
        assertThat(sweep.getInt("spec.pipeline.capacity")).isEqualTo(4);
        assertThat(sweep.getList("steps.pipeline.capacity")).as("every step ran with it").containsOnly(4);
        assertThat(Api.pipeline().getInt("capacity")).as("the service's own, back").isEqualTo(capacity);
        List<WebElement> rows = driver.findElements(By.cssSelector("#sweep-steps tr"));
        assertThat(rows).hasSize(4);
        for (int i = 0; i < 4; i++) {
            assertThat(rows.get(i).findElements(By.tagName("td")).get(1).getText()).as("step %d's pair", i)
                    .isEqualTo(sweep.getString("steps[" + i + "].at.inferenceMs") + " / "
                            + sweep.getString("steps[" + i + "].at.concurrency"));
        }
        for (String chart : List.of("sweep-chart", "sweep-latency-chart")) {
            WebElement canvas = driver.findElement(By.id(chart));
            assertThat(canvas.getAttribute("data-points")).as(chart).isEqualTo("4");
            assertThat(canvas.getAttribute("data-series")).as("%s: a curve per concurrency", chart).isEqualTo("2");
        }
        assertThat(driver.findElement(By.id("sweep-saturation")).getText()).as("a verdict per curve")
                .contains("concurrency 1: ", "concurrency 2: ");
        screenshotOfTheSweep(driver, "sweep-grid");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    /**
     * Repeats that disagree cannot be made to happen on purpose: the page's own drawing (sweeps.js' drawCharts) is
     * given a fixed sweep of two steps, the second's repeats 34% apart, as the sweep's events carry them.
     */
    @Test
    void anUnstableStepIsMarkedOnBothChartsAndSaidInWords() {
        WebDriver driver = open(390, 844, page + "#sweeps");
        Browser.waitUpTo(driver, Duration.ofSeconds(10))
                .until(d -> d.findElement(By.id("sweep-button")).isDisplayed());
        ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const step = (index, batch, throughput, min, max, relative) => ({ index, at: { maxBatchSize: batch },
                    runs: ['a', 'b', 'c'], predictedThroughput: 100, throughput,
                    spread: { min, max, relative, unstable: relative > 0.1 },
                    totalMs: { p50: 10 * (index + 1), p90: 15, p95: 18, p99: 20 * (index + 1), mean: 12 } });
                import(new URL('sweeps.js', location.href).href).then((sweeps) => {
                    document.getElementById('sweep-result').hidden = false;
                    sweeps.drawCharts([step(0, 1, 50, 49, 51, 0.04), step(1, 8, 90, 75.1, 105.7, 0.34)], []);
                    done();
                });""");

        for (String id : List.of("sweep-chart", "sweep-latency-chart")) {
            WebElement chart = driver.findElement(By.id(id));
            assertThat(chart.getAttribute("data-points")).as(id).isEqualTo("2");
            assertThat(chart.getAttribute("data-unstable")).as("%s: the unstable step marked", id).isEqualTo("1");
            assertThat(chart.getAttribute("data-whiskers")).as("%s: each step's repeats' spread", id).isEqualTo("2");
        }
        assertThat(driver.findElement(By.id("sweep-chart")).getAttribute("data-x-title"))
                .as("the swept setting, named with its unit").isEqualTo("max batch size (items)");
        assertThat(driver.findElement(By.id("sweep-unstable")).getText())
                .isEqualTo("⚠ step 1 (maxBatchSize 8): unstable: repeats differ by 34%, 75.1 to 105.7 items/s");
        assertThat(overflow()).as("on a phone").isNull();
        screenshotOfTheSweep(driver, "sweep-unstable");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    /** "concurrency (pi" was a finding: each axis select shows its longest option whole, wide and on a phone. */
    @Test
    void theAxisSelectsShowTheirLongestOptionWhole() {
        WebDriver driver = open(1280, 1000, page + "#sweeps");
        for (int width : List.of(1280, 390)) {
            driver.manage().window().setSize(new org.openqa.selenium.Dimension(width, 844));
            for (String select : List.of("s-axis", "s-axis2")) {
                Browser.waitUpTo(driver, Duration.ofSeconds(10))
                        .until(d -> d.findElement(By.id(select)).isDisplayed());
                @SuppressWarnings("unchecked")
                List<Number> room = (List<Number>) ((JavascriptExecutor) driver).executeScript("""
                        const select = document.getElementById(arguments[0]);
                        const style = getComputedStyle(select);
                        const g = document.createElement('canvas').getContext('2d');
                        g.font = style.font;
                        const widest = Math.max(...[...select.options].map((o) => g.measureText(o.text).width));
                        // the text's room: less the padding, the border and the arrow (about 20 px)
                        const room = select.clientWidth - parseFloat(style.paddingLeft)
                            - parseFloat(style.paddingRight) - 20;
                        return [widest, room];""", select);
                assertThat(room.get(0).doubleValue()).as("%s at %d px: its widest option within it", select, width)
                        .isLessThanOrEqualTo(room.get(1).doubleValue());
            }
        }
    }

    @Test
    void aSweepRefusedAsAWholeSaysWhyUnderItsOwnForm() {
        String running = given().contentType(ContentType.JSON).body("""
                {"run": {"maxItems": 1000, "inferenceMs": 20, "sentinel": null}, "vary": {"inferenceMs": [20]},
                 "repeats": 1}""").post("/api/sweeps").then().statusCode(201).extract().path("id");
        try {
            WebDriver driver = open(1280, 1400, page + "#sweeps");
            driver.findElement(By.id("sweep-button")).click();

            Browser.waitUpTo(driver, Duration.ofSeconds(10))
                    .until(d -> !d.findElement(By.id("sweep-error")).getText().isEmpty());
            assertThat(driver.findElement(By.id("sweep-error")).getText()).as("another sweep runs: a 409")
                    .contains(running);
            assertThat(driver.findElement(By.id("se-body")).getText()).as("the settings form's slot").isEmpty();
        } finally {
            given().delete("/api/sweeps/" + running).then().statusCode(200);
        }
    }

    @Test
    void aBadValueIsShownBesideTheValues() {
        assertThat(refused("s-values", "5, -1", "se-values")).isEqualTo("must not be negative");
    }

    @Test
    void aBadPipelineSettingIsShownBesideIt() {
        assertThat(refused("s-p-concurrency", "0", "se-p-concurrency")).isEqualTo("must be at least 1");
    }

    /** Types {@code value} into the field, starts the sweep, and reads the error shown in {@code slot}: no sweep starts. */
    private String refused(String field, String value, String slot) {
        WebDriver driver = open(1280, 1400, page + "#sweeps");
        browser.typeInto(field, value);
        driver.findElement(By.id("sweep-button")).click();

        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> !d.findElement(By.id(slot)).getText().isEmpty());
        assertThat(driver.findElement(By.id("sweep-result")).isDisplayed()).isFalse();
        return driver.findElement(By.id(slot)).getText();
    }
}
