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
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.mlpipe.support.Api;
import dev.mlpipe.support.Browser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** A sweep started from the page fills its table step by step, as the API reports it; a bad value is shown. */
@QuarkusTest
class SweepBrowserTest extends PageTest {

    /** The sweep's result scrolled into view, saved as {@code target/<name>.png} (the README shows them). */
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
        new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> {
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
                new WebDriverWait(other, Duration.ofSeconds(20)).until(d -> "completed".equals(
                        d.findElement(By.id("sweep-state")).getText())
                        && d.findElements(By.cssSelector("#sweep-steps tr")).size() == 4);
                new WebDriverWait(other, Duration.ofSeconds(20)).until(d -> d.findElement(
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

        new WebDriverWait(driver, Duration.ofSeconds(60))
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

    @Test
    void aSweepRefusedAsAWholeSaysWhyUnderItsOwnForm() {
        String running = given().contentType(ContentType.JSON).body("""
                {"run": {"maxItems": 1000, "inferenceMs": 20, "sentinel": null}, "vary": {"inferenceMs": [20]},
                 "repeats": 1}""").post("/api/sweeps").then().statusCode(201).extract().path("id");
        try {
            WebDriver driver = open(1280, 1400, page + "#sweeps");
            driver.findElement(By.id("sweep-button")).click();

            new WebDriverWait(driver, Duration.ofSeconds(10))
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

        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> !d.findElement(By.id(slot)).getText().isEmpty());
        assertThat(driver.findElement(By.id("sweep-result")).isDisplayed()).isFalse();
        return driver.findElement(By.id(slot)).getText();
    }
}
