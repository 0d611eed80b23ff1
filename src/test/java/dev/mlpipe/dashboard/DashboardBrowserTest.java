package dev.mlpipe.dashboard;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.pipelineSettings;
import static dev.mlpipe.support.Api.restorePipeline;
import static dev.mlpipe.support.Api.run;
import static dev.mlpipe.support.Api.start;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

import dev.mlpipe.support.Browser;
import dev.mlpipe.support.RunSpecs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The dashboard in a real (headless) Chromium, as a person would use it. */
@QuarkusTest
class DashboardBrowserTest extends PageTest {

    private static String text(WebDriver driver, String id) {
        return driver.findElement(By.id(id)).getText();
    }

    private static void awaitState(WebDriver driver, String state) {
        Browser.waitUpTo(driver, Duration.ofSeconds(30)).until(d -> state.equals(text(d, "live-state")));
    }

    @Test
    void aRunStartedFromTheFormIsWatchedToItsEnd() {
        WebDriver driver = open(1280, 1100, page.toString());
        browser.type("seed", "7");
        browser.type("inferenceMs", "3");
        browser.type("maxItems", "1000");
        browser.type("name", "from the form");
        browser.type("tags", "form b-8,");
        new Select(driver.findElement(By.id("f-overflow"))).selectByValue("block");
        driver.findElement(By.id("start-button")).click();

        awaitState(driver, "completed");
        String id = text(driver, "live-id");
        assertThat(run(id).getString("name")).isEqualTo("from the form");
        assertThat(run(id).getList("tags")).containsExactly("form", "b-8");
        long processed = run(id).getLong("counts.processed");
        assertThat(text(driver, "c-processed")).isEqualTo(Long.toString(processed));
        assertThat(text(driver, "c-loaded")).isEqualTo(Long.toString(run(id).getLong("counts.loaded")));
        WebElement newest = driver.findElement(By.cssSelector("#results tr:first-child"));
        assertThat(newest.getAttribute("class")).isEqualTo("sentinel");
        assertThat(newest.findElements(By.tagName("td")).get(1).getText()).isEqualTo("67");
        assertThat(newest.findElements(By.tagName("td")).get(8).getText()).as("the worker that processed it")
                .isIn(run(id).getMap("workers").keySet());
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> Long.toString(processed)
                .equals(d.findElement(By.id("run-charts")).getAttribute("data-processed")));
        assertThat(driver.findElement(By.id("run-charts")).getAttribute("data-points")).as("the service's series")
                .isEqualTo(Integer.toString(given().get("/api/runs/" + id + "/series").jsonPath().getInt("size")));
        for (String chart : List.of("throughput-chart", "latency-chart", "depth-chart")) {
            assertThat(driver.findElement(By.cssSelector("#" + chart + " .u-axis")).isDisplayed()).as(chart).isTrue();
        }
        assertThat(driver.findElement(By.id("depth-chart")).getText()).as("its title, axes and legend")
                .contains("Queue depth", "time since the run started (s)", "mean", "capacity");
        assertThat(text(driver, "verdict-label")).isIn("model-bound", "loader-bound", "balanced");
        assertThat(text(driver, "summary")).contains("Run completed", processed + " processed");
        WebElement bar = driver.findElement(By.id("progress-bar"));
        assertThat(bar.getAttribute("value")).as("a completed run's bar is full, though it ended before maxItems")
                .isEqualTo(bar.getAttribute("max"));
        assertThat(text(driver, "progress-text")).doesNotContain("of at most");
        for (String format : new String[] { "csv", "jsonl" }) {
            WebElement link = driver.findElement(By.id("results-" + format));
            assertThat(link.isDisplayed()).as("the finished run's " + format + " download").isTrue();
            assertThat(link.getAttribute("href")).endsWith("/api/runs/" + id + "/results?format=" + format);
        }
        assertThat(driver.findElements(By.cssSelector("#runs button[aria-current=true]")))
                .extracting(e -> e.getAttribute("data-id")).containsExactly(id);
        browser.screenshot("dashboard-finished-run");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    private static String place(WebDriver driver) {
        return driver.findElement(By.cssSelector("nav.places a[aria-current=page]")).getText();
    }

    /** Each place has an address that survives a reload; the back button goes to the place before. */
    @Test
    void thePageOpensTheNewestRunAndEachPlaceSurvivesAReloadAndTheBackButton() {
        String older = start(RunSpecs.spec().items(1, 2).noSentinel().inferenceMs(0).json());
        String newest = start(RunSpecs.spec().items(1, 3).noSentinel().inferenceMs(0).json());
        awaitEnd(older);
        awaitEnd(newest);
        WebDriver driver = open(1280, 900, page.toString());
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("#run=" + newest));
        awaitState(driver, "completed");
        assertThat(text(driver, "live-id")).as("the newest run, opened by itself").isEqualTo(newest);
        assertThat(place(driver)).isEqualTo("Runs");

        driver.findElement(By.id("nav-models")).click();
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> !d.findElements(
                By.cssSelector("#model-rows tr")).isEmpty());
        assertThat(driver.findElement(By.id("model-rows")).getText()).contains("simulated", "ready");
        assertThat(driver.findElement(By.id("live")).isDisplayed()).as("another place's section").isFalse();
        driver.findElement(By.id("nav-settings")).click();
        assertThat(driver.findElement(By.id("settings-button")).isDisplayed()).isTrue();
        driver.get(page + "#compare=" + older + "," + newest);
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> d.findElements(
                By.cssSelector("#compare-head th.run")).size() == 2);
        driver.navigate().refresh();
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> d.findElements(
                By.cssSelector("#compare-head th.run")).size() == 2);
        assertThat(place(driver)).isEqualTo("Compare");

        driver.navigate().back();
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> place(d).equals("Settings"));
        assertThat(driver.getCurrentUrl()).endsWith("#settings");
        driver.navigate().back();
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> place(d).equals("Models"));
        driver.navigate().back();
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> place(d).equals("Runs"));
        assertThat(driver.getCurrentUrl()).endsWith("#run=" + newest);
        driver.findElement(By.cssSelector("#runs button[data-id='" + older + "']")).click();
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> older.equals(text(d, "live-id")));
        driver.navigate().refresh();
        awaitState(driver, "completed");
        assertThat(text(driver, "live-id")).as("the run the address names, after a reload").isEqualTo(older);
        driver.navigate().back();
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> newest.equals(text(d, "live-id")));
        assertThat(browser.consoleErrors()).isEmpty();
    }

    /**
     * With no run kept (the browser is told the list is empty), the runs place offers the seed's run to start. The test
     * adds {@code inferenceMs} to what the page sends: at the model's 100 ms an item the seed's run, which draws until
     * 67, would take 10 s on average and a minute now and then.
     */
    @Test
    void anEmptyServiceOffersItsFirstRunsAndTheSeedsRunStartsFromItsButton() {
        browser = Browser.kept(1280, 900);
        browser.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                const realFetch = window.fetch;
                window.fetch = (url, init) => {
                    if (new URL(url, location.href).pathname !== '/api/runs') return realFetch(url, init);
                    if (!(init && init.method)) {
                        return Promise.resolve(new Response('[]', { headers: { 'Content-Type': 'application/json' } }));
                    }
                    const fast = { ...JSON.parse(init.body), inferenceMs: 2 };
                    return realFetch(url, { ...init, body: JSON.stringify(fast) });
                };"""));
        WebDriver driver = browser.driver();
        driver.get(page.toString());
        WebElement seed = driver.findElement(By.id("start-seed-run"));
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> seed.isDisplayed());
        assertThat(driver.getCurrentUrl()).as("no run to open").doesNotContain("#run=");
        boolean digits = given().get("/api/models").jsonPath().getList("name").contains("digits");
        assertThat(driver.findElement(By.id("start-digits-run")).isDisplayed()).as("a digits run, with that model")
                .isEqualTo(digits);

        seed.click();
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("#run="));
        String id = driver.getCurrentUrl().substring(driver.getCurrentUrl().indexOf("#run=") + 5);
        JsonPath started = awaitEnd(id);
        assertThat(started.getInt("spec.min")).isEqualTo(1);
        assertThat(started.getInt("spec.max")).isEqualTo(100);
        assertThat(started.getInt("spec.sentinel")).isEqualTo(67);
        assertThat(started.getInt("spec.inferenceMs")).as("the test's shortcut").isEqualTo(2);
        awaitState(driver, "completed");
        assertThat(text(driver, "live-id")).isEqualTo(id);
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void twoWindowsOnOneRunBothShowTheWholeRun() {
        String id = start(RunSpecs.spec().seed(11).inferenceMs(4).json());
        WebDriver driver = open(1280, 1000, page + "#run=" + id);
        String first = driver.getWindowHandle();
        driver.switchTo().newWindow(WindowType.WINDOW).get(page + "#run=" + id);
        String second = driver.getWindowHandle();

        for (String window : List.of(first, second)) {
            driver.switchTo().window(window);
            awaitState(driver, "completed");
            assertThat(text(driver, "c-processed")).isEqualTo(Long.toString(run(id).getLong("counts.processed")));
            assertThat(driver.findElement(By.cssSelector("#results tr:first-child")).getAttribute("class"))
                    .isEqualTo("sentinel");
        }
        browser.screenshot("dashboard-second-window");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void aRejectedSpecShowsEachErrorNextToItsField() {
        WebDriver driver = open(1280, 1000, page.toString());
        browser.type("min", "50");
        browser.type("max", "10");
        browser.type("maxItems", "0");
        browser.type("tags", "baseline, Batch 8");
        driver.findElement(By.id("start-button")).click();

        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> !text(d, "e-maxItems").isEmpty());
        assertThat(text(driver, "e-maxItems")).contains("maxItems must be at least 1");
        assertThat(text(driver, "e-tags")).as("a tag is told beside the tags, by its place")
                .contains("tags[1] must be 1 to 32 characters of a-z, 0-9 and -");
        browser.type("tags", "baseline, batch-8");
        assertThat(driver.findElement(By.id("f-maxItems")).getAttribute("aria-invalid")).isEqualTo("true");

        browser.type("maxItems", "10");
        driver.findElement(By.id("start-button")).click();
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> !text(d, "e-min").isEmpty());
        assertThat(text(driver, "e-min")).contains("must be less than max");
        assertThat(text(driver, "e-maxItems")).as("fixed fields lose their error").isEmpty();
        browser.screenshot("dashboard-field-error");
        // the service answered 400 on purpose: Chromium logs that failed request, and nothing else
        assertThat(browser.consoleErrors()).allSatisfy(error -> assertThat(error).contains("400"));
    }

    @Test
    void aSeedBeyondWhatTheBrowserHoldsExactlyIsRefusedRatherThanChanged() {
        WebDriver driver = open(1280, 1000, page.toString());
        int runsBefore = given().get("/api/runs").jsonPath().getList("id").size();
        browser.type("maxItems", "5");
        browser.type("seed", "9007199254740993"); // 2^53 + 1: as a JavaScript number it would become 2^53
        driver.findElement(By.id("start-button")).click();

        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> !text(d, "e-seed").isEmpty());
        assertThat(text(driver, "e-seed")).contains("seed must be a whole number within");
        assertThat(given().get("/api/runs").jsonPath().getList("id")).as("nothing was started").hasSize(runsBefore);

        browser.type("seed", "9007199254740991"); // 2^53 - 1, the largest it holds exactly
        String before = driver.getCurrentUrl(); // the newest run, which the page opened at first load, if any
        driver.findElement(By.id("start-button")).click();
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("#run=")
                && !d.getCurrentUrl().equals(before));
        String id = driver.getCurrentUrl().substring(driver.getCurrentUrl().indexOf("#run=") + 5);
        assertThat(given().get("/api/runs/" + id).jsonPath().getLong("spec.seed")).isEqualTo(9007199254740991L);
    }

    /** The charts share one time axis: hovering shows each chart's values at that time, dragging zooms all of them. */
    @Test
    void hoveringAChartShowsItsValuesAndDraggingZoomsEveryChart() {
        String id = start(RunSpecs.spec().items(1, 60).noSentinel().inferenceMs(15).json());
        JsonPath end = awaitEnd(id);
        WebDriver driver = open(1280, 800, page + "#run=" + id);
        awaitState(driver, "completed");
        WebElement charts = driver.findElement(By.id("run-charts"));
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> end.getString("counts.processed")
                .equals(charts.getAttribute("data-processed")));
        browser.driver().executeScript("document.getElementById('run-charts').scrollIntoView()");
        browser.screenshot("dashboard-run"); // docs/dashboard.png, at 1280x800
        double runEnds = end.getDouble("stats.elapsedMs") / 1000;
        assertThat(Double.parseDouble(charts.getAttribute("data-x-max"))).as("the axis ends where the run did")
                .isCloseTo(runEnds, org.assertj.core.data.Offset.offset(1e-6));

        WebElement over = driver.findElement(By.cssSelector("#throughput-chart .u-over"));
        new Actions(driver).moveToElement(over).perform(); // the middle of the run
        Browser.waitUpTo(driver, Duration.ofSeconds(5)).until(d -> d.findElements(
                By.cssSelector("#throughput-chart .u-legend .u-series:nth-child(2) .u-value")).stream()
                .anyMatch(v -> v.getText().matches("\\d+\\.\\d")));
        String depthMean = driver.findElement(By.cssSelector("#depth-chart .u-legend .u-series:nth-child(3) .u-value"))
                .getText();
        assertThat(depthMean).as("the depth chart's mean at the same time, shown with the throughput's")
                .matches("\\d+\\.\\d\\d");

        int width = over.getSize().getWidth();
        new Actions(driver).moveToElement(over, -width / 4, 0).clickAndHold()
                .moveToElement(over, width / 4, 0).release().perform();
        Browser.waitUpTo(driver, Duration.ofSeconds(5))
                .until(d -> Double.parseDouble(charts.getAttribute("data-x-min")) > 0);
        double min = Double.parseDouble(charts.getAttribute("data-x-min"));
        double max = Double.parseDouble(charts.getAttribute("data-x-max"));
        assertThat(max).as("zoomed in to the middle half").isLessThan(runEnds);
        assertThat(driver.findElements(By.cssSelector("#run-charts figure.chart")))
                .as("every chart zoomed to the same time").hasSize(4)
                .allSatisfy(chart -> assertThat(Double.parseDouble(chart.getAttribute("data-x-min"))).isEqualTo(min));
        browser.screenshot("dashboard-zoomed");
        new Actions(driver).doubleClick(over).perform();
        Browser.waitUpTo(driver, Duration.ofSeconds(5))
                .until(d -> Double.parseDouble(charts.getAttribute("data-x-min")) < min);
        assertThat(browser.consoleErrors()).isEmpty();
        assertThat(max).isGreaterThan(min);
    }

    @Test
    void aFinishedRunReadsOnANarrowPhoneScreen() {
        String id = start(RunSpecs.spec().items(List.of(5, 80, 67)).inferenceMs(0)
                .named("a run with a name as long as a person may want to give one, to see it wrap", "phone", "b-8")
                .json());
        WebDriver driver = open(360, 800, page + "#run=" + id);

        awaitState(driver, "completed");
        By label = By.cssSelector("#runs button[data-id='" + id + "'] .label");
        // the list is drawn again as runs change: a label found may be replaced before it is read
        String shown = Browser.waitUpTo(driver, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElement(label).getText());
        assertThat(shown).as("the runs list shows the run's name and tags")
                .isEqualTo("a run with a name as long as a person may want to give one, to see it wrap phone b-8");
        assertThat(text(driver, "live-label")).contains("phone", "b-8");
        assertThat(overflow()).as("what runs off a 360 px screen").isNull();
        assertThat(driver.findElement(By.id("depth-chart")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.id("start-button")).isDisplayed()).isTrue();
        assertThat(text(driver, "c-processed")).isEqualTo("3");
        browser.screenshot("dashboard-360px");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    private static void setting(WebDriver driver, String name, String value) {
        WebElement input = driver.findElement(By.id("s-" + name));
        input.clear();
        input.sendKeys(value);
    }

    @Test
    void thePipelineSettingsShowTheServicesAndChangeItLiveOrSayWhyNot() {
        Map<String, Object> before = pipelineSettings();
        try {
            WebDriver driver = open(1280, 1100, page + "#settings");
            Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> before.get("capacity").toString()
                    .equals(d.findElement(By.id("s-capacity")).getAttribute("value")));
            assertThat(driver.findElement(By.id("s-concurrency")).getAttribute("value"))
                    .isEqualTo(before.get("concurrency").toString());

            setting(driver, "capacity", "12");
            setting(driver, "concurrency", "2");
            driver.findElement(By.id("settings-button")).click();
            Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> "applied".equals(text(d, "settings-status")));
            assertThat(given().get("/api/pipeline").jsonPath().getInt("capacity")).isEqualTo(12);
            assertThat(given().get("/api/pipeline").jsonPath().getInt("concurrency")).isEqualTo(2);
            assertThat(text(driver, "pipeline")).contains("/12", "concurrency 2");

            setting(driver, "maxBatchSize", "0");
            driver.findElement(By.id("settings-button")).click();
            Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> !text(d, "se-body").isEmpty());
            assertThat(text(driver, "se-body")).isEqualTo("maxBatchSize must be at least 1");
            assertThat(text(driver, "se-maxBatchSize")).isEqualTo("must be at least 1");
            assertThat(driver.findElement(By.id("s-maxBatchSize")).getAttribute("aria-invalid")).isEqualTo("true");
            assertThat(given().get("/api/pipeline").jsonPath().getInt("maxBatchSize")).as("nothing changed")
                    .isEqualTo(before.get("maxBatchSize"));
            browser.screenshot("dashboard-settings-error");
            // the service answered 400 on purpose: Chromium logs that failed request, and nothing else
            assertThat(browser.consoleErrors()).allSatisfy(error -> assertThat(error).contains("400"));
        } finally {
            restorePipeline(before);
        }
    }

    /** A run's priority and deadline set on the page, its expired items and its batches shown there. */
    @Test
    void aRunWithAPriorityAndADeadlineShowsItsExpiredItemsAndTheLanes() {
        WebDriver driver = open(1280, 1100, page.toString());
        browser.type("seed", "11");
        browser.type("min", "1");
        browser.type("max", "1000000");
        browser.type("sentinel", "1000000");
        browser.type("maxItems", "40");
        browser.type("inferenceMs", "40");
        browser.type("deadlineMs", "100");
        new Select(driver.findElement(By.id("f-priority"))).selectByValue("2");
        driver.findElement(By.id("start-button")).click();

        Browser.waitUpTo(driver, Duration.ofSeconds(30)).until(d -> "completed".equals(text(d, "live-state")));
        String id = text(driver, "live-id");
        JsonPath end = run(id);
        assertThat(end.getInt("spec.priority")).isEqualTo(2);
        assertThat(end.getInt("spec.deadlineMs")).isEqualTo(100);
        long expired = end.getLong("counts.expired");
        assertThat(expired).as("a full queue of 40 ms items outwaits 100 ms").isPositive();
        assertThat(text(driver, "c-expired")).isEqualTo(Long.toString(expired));
        assertThat(text(driver, "c-lanes")).isEqualTo("0 · 0 · 0 · 0 · 0");
        assertThat(text(driver, "summary")).contains(expired + " expired");
        List<WebElement> rows = driver.findElements(By.cssSelector("#results tr.expired"));
        assertThat(rows).hasSize((int) expired);
        assertThat(rows.get(0).findElements(By.tagName("td")).get(2).getText()).isEqualTo("expired");
        assertThat(driver.findElement(By.id("batch-chart")).isDisplayed()).as("batches of one: no flat line").isFalse();
        assertThat(driver.findElement(By.cssSelector("#run-charts .chart-note")).getText())
                .contains("max batch size is 1");
        browser.screenshot("dashboard-expired-items");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    /** Issue 26: a digits run started from the form shows its latest digits as images, and its accuracy so far. */
    @Test
    void aDigitsRunFromTheFormShowsItsDigitsTheirPredictionsAndTheAccuracy() {
        WebDriver driver = open(1280, 1100, page.toString());
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> !d.findElements(
                By.cssSelector("#f-model option[value=digits]")).isEmpty());
        assertThat(driver.findElement(By.id("f-dataset")).isDisplayed()).as("no dataset for the simulated model")
                .isFalse();
        new Select(driver.findElement(By.id("f-model"))).selectByValue("digits");
        assertThat(driver.findElement(By.id("f-dataset")).getAttribute("value")).isEqualTo("digits");
        assertThat(driver.findElement(By.id("f-sentinel")).isEnabled()).as("a tensor model has no sentinel").isFalse();
        JsonPath digitsModel = given().get("/api/models/digits").then().extract().jsonPath();
        assertThat(Double.parseDouble(driver.findElement(By.id("f-min")).getAttribute("value")))
                .as("random rows would be drawn from the model's own range").isEqualTo(
                        digitsModel.getDouble("settings.randomMin"));
        assertThat(Double.parseDouble(driver.findElement(By.id("f-max")).getAttribute("value")))
                .isEqualTo(digitsModel.getDouble("settings.randomMax"));
        browser.type("maxItems", "300");
        driver.findElement(By.id("start-button")).click();

        awaitState(driver, "completed");
        String id = text(driver, "live-id");
        JsonPath end = run(id);
        assertThat(end.getString("spec.model")).isEqualTo("digits");
        assertThat(end.getString("spec.dataset")).isEqualTo("digits");
        long labelled = end.getLong("accuracy.labelled");
        long correct = end.getLong("accuracy.correct");
        assertThat(labelled).isEqualTo(300);
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> Long.toString(labelled)
                .equals(text(d, "c-labelled")));
        assertThat(text(driver, "c-correct")).isEqualTo(Long.toString(correct));
        assertThat(text(driver, "c-accuracy")).as("the accuracy tile, as a percentage")
                .isEqualTo(String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * correct / labelled));

        List<WebElement> digits = driver.findElements(By.cssSelector("#digit-results li"));
        assertThat(digits).as("the latest digits").hasSize(12);
        WebElement newest = digits.get(0);
        assertThat(newest.getText()).as("the last row's prediction, label and verdict")
                .containsPattern("predicted \\d").containsPattern("label \\d").containsPattern("correct|wrong");
        assertThat(newest.findElement(By.tagName("canvas")).getAttribute("aria-label")).startsWith("row 299:");
        Object inked = browser.driver().executeScript("""
                const g = document.querySelector('#digit-results canvas').getContext('2d');
                const data = g.getImageData(0, 0, 8, 8).data;
                let dark = 0;
                for (let i = 0; i < data.length; i += 4) if (data[i] < 128 && data[i + 3] === 255) dark++;
                return dark;""");
        assertThat(((Number) inked).intValue()).as("pixels of ink in the 8x8 image of the row fed").isBetween(4, 60);
        assertThat(text(driver, "live-spec")).contains("model digits", "dataset digits");
        browser.screenshot("dashboard-digits");
        assertThat(browser.consoleErrors()).isEmpty();
    }

    /** The footer names the management port the service listens on (a test's is a random one, never 9000). */
    @Test
    void theFooterNamesTheManagementPortAsBound() {
        int port = java.net.URI.create(io.quarkus.test.common.http.TestHTTPResourceManager.getManagementUri()).getPort();
        assertThat(port).as("a random port in tests").isNotEqualTo(9000);
        assertThat(given().get("/api/me").jsonPath().getInt("managementPort")).isEqualTo(port);
        WebDriver driver = open(1280, 900, page + "#settings");
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> (":" + port + "/q/").equals(
                text(d, "management-port")));
        assertThat(driver.findElement(By.tagName("footer")).getText()).contains("management port (:" + port + "/q/)");
        assertThat(browser.consoleErrors()).isEmpty();
    }
}
