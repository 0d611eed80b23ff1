package dev.mlpipe.dashboard;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.cancel;
import static dev.mlpipe.support.Api.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import dev.mlpipe.support.Browser;
import dev.mlpipe.support.RunSpecs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Runs ticked in the list, side by side: the API's figures for each and their differences from the first run's, a
 * latency CDF and a depth line each; the address shares it.
 */
@QuarkusTest
class CompareBrowserTest extends PageTest {

    private static String text(WebDriver driver, String id) {
        return driver.findElement(By.id(id)).getText();
    }

    @Test
    void runsTickedInTheListAreComparedAndTheirAddressOpensTheSameComparison() {
        String quick = start(RunSpecs.spec().exactlyMaxItems().maxItems(40).inferenceMs(1).json());
        String slow = start(RunSpecs.spec().exactlyMaxItems().maxItems(30).inferenceMs(5).json());
        awaitEnd(quick);
        awaitEnd(slow);
        WebDriver driver = open(1280, 1400, page.toString());
        for (String id : List.of(quick, slow)) {
            By pick = By.cssSelector("#runs input[aria-label='compare run " + id + "']");
            Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> !d.findElements(pick).isEmpty());
            driver.findElement(pick).click();
        }
        driver.findElement(By.id("compare-button")).click();

        assertThat(driver.getCurrentUrl()).endsWith("#compare=" + quick + "," + slow);
        showsBothSideBySide(driver, quick, slow);
        browser.screenshot("compare");

        driver.get("about:blank");
        driver.get(page + "#compare=" + slow + "," + quick); // as someone it was sent to opens it
        showsBothSideBySide(driver, slow, quick);
        assertThat(text(driver, "compare-problem")).isEmpty();
        driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844)); // on a phone
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> overflow() == null);
        assertThat(driver.findElement(By.id("compare")).isDisplayed()).as("the comparison first").isTrue();
        WebElement cdf = driver.findElement(By.cssSelector("#compare-cdf .uplot"));
        assertThat(cdf.getRect().getX() + cdf.getRect().getWidth()).as("the CDF chart within the screen")
                .isLessThanOrEqualTo(390);
        assertThat(browser.consoleErrors()).isEmpty();
    }

    /** The list refreshes every second while a run is going; a run's checkbox stays the one the user aims at. */
    @Test
    void aRunsCheckboxSurvivesTheListsRefreshWhileAnotherRunIsGoing() {
        String done = start(RunSpecs.spec().exactlyMaxItems().maxItems(5).inferenceMs(0).json());
        awaitEnd(done);
        // a minute of work, cancelled at the end: still going (and its counts changing) however long the page takes
        // to open on a loaded host; 400 items (8 s) had ended before the refresh the test waits for
        String going = start(RunSpecs.spec().exactlyMaxItems().maxItems(3_000).inferenceMs(20).json());
        try {
            WebDriver driver = open(1280, 1000, page.toString());
            By pick = By.cssSelector("#runs input[aria-label='compare run " + done + "']");
            By counts = By.cssSelector("#runs button[data-id='" + going + "'] .counts");
            Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> !d.findElements(pick).isEmpty()
                    && !d.findElements(counts).isEmpty());
            WebElement checkbox = driver.findElement(pick);
            // read once the element found is still the page's: a refresh may replace it between finding and reading
            String before = Browser.waitUpTo(driver, Duration.ofSeconds(10))
                    .ignoring(StaleElementReferenceException.class).until(d -> d.findElement(counts).getText());
            Browser.waitUpTo(driver, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class)
                    .until(d -> !d.findElement(counts).getText().equals(before)); // its text is replaced each refresh

            checkbox.click(); // the element found before the refresh: still in the page
            assertThat(driver.findElement(pick).isSelected()).isTrue();
        } finally {
            cancel(going);
        }
    }

    @Test
    void unknownAndMalformedIdsAreNamedAndTheRestIsShown() {
        String known = start(RunSpecs.spec().exactlyMaxItems().maxItems(10).inferenceMs(1).json());
        long processed = awaitEnd(known).getLong("counts.processed");
        WebDriver driver = open(1280, 1000, page + "#compare=" + known + ",not-a-run,0123456789ab");

        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> !text(d, "compare-problem").isEmpty());
        assertThat(text(driver, "compare-problem")).contains("not a run id", "not-a-run", "no such run",
                "0123456789ab", "name two or more runs");
        assertThat(text(driver, "cmp-processed-" + known)).isEqualTo(Long.toString(processed));
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> d.findElement(
                By.cssSelector("#runs button[data-id='" + known + "']")).isDisplayed()); // the rest of the place works
        // the unknown run's 404 on purpose: Chromium logs that failed request, and nothing else
        assertThat(browser.consoleErrors()).allSatisfy(error -> assertThat(error).contains("404"));
    }

    /**
     * Each run's column shows its figures as the API has them, the second's with its difference from the first's in
     * signs and words; the chart a line of all its results, and the latency CDFs a line per run named in its legend.
     */
    private static void showsBothSideBySide(WebDriver driver, String first, String second) {
        JsonPath a = awaitEnd(first);
        JsonPath b = awaitEnd(second);
        String points = a.getLong("counts.processed") + "," + b.getLong("counts.processed");
        Browser.waitUpTo(driver, Duration.ofSeconds(20)).until(d -> points.equals(
                d.findElement(By.id("compare-chart")).getAttribute("data-points")));
        assertThat(driver.findElements(By.cssSelector("#compare-head th.run a"))).extracting(e -> e.getText())
                .containsExactly(first, second);
        assertThat(driver.findElement(By.cssSelector("#compare-head th.run")).getText()).as("the first, the baseline")
                .isEqualTo(first + "\nbaseline");
        for (String id : List.of(first, second)) {
            JsonPath run = awaitEnd(id);
            assertThat(text(driver, "cmp-state-" + id)).isEqualTo("completed");
            assertThat(text(driver, "cmp-processed-" + id)).isEqualTo(run.getString("counts.processed"));
            assertThat(text(driver, "cmp-loaded-" + id)).isEqualTo(run.getString("counts.loaded"));
            assertThat(text(driver, "cmp-verdict-" + id)).isEqualTo(run.getString("stats.verdict"));
            assertThat(Double.parseDouble(text(driver, "cmp-p50-" + id)))
                    .isCloseTo(run.getDouble("stats.totalMs.p50"), within(0.005));
            assertThat(Double.parseDouble(text(driver, "cmp-p99-" + id)))
                    .isCloseTo(run.getDouble("stats.totalMs.p99"), within(0.005));
            assertThat(Double.parseDouble(text(driver, "cmp-throughput-" + id)))
                    .isCloseTo(run.getDouble("stats.throughput"), within(0.05));
            assertThat(text(driver, "cmp-ownMaxDepth-" + id)).as("this run's own items in the queue, apart")
                    .isEqualTo(run.getString("queue.ownMaxDepth"));
            assertThat(Double.parseDouble(text(driver, "cmp-ownMeanDepth-" + id)))
                    .isCloseTo(run.getDouble("queue.ownMeanDepth"), within(0.005));
        }
        assertThat(text(driver, "cmp-p99-" + first + "-diff")).isEmpty();
        differs(text(driver, "cmp-p99-" + second + "-diff"), a.getDouble("stats.totalMs.p99"),
                b.getDouble("stats.totalMs.p99"), "ms", false);
        differs(text(driver, "cmp-throughput-" + second + "-diff"), a.getDouble("stats.throughput"),
                b.getDouble("stats.throughput"), "items/s", true);

        WebElement cdf = driver.findElement(By.id("compare-cdf"));
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> "2".equals(cdf.getAttribute("data-series")));
        assertThat(cdf.isDisplayed()).isTrue();
        assertThat(cdf.findElements(By.cssSelector(".u-legend .u-series .u-label"))).extracting(WebElement::getText)
                .as("the legend: the x value, then a line per run, named").containsExactly("ms", first, second);
        assertThat(cdf.findElements(By.cssSelector(".u-legend .u-series .u-marker")).get(1)
                .getCssValue("border-color")).as("the first run's line in its column's colour").contains("36, 87, 197");
    }

    /**
     * "▲ +2.10 ms (+21%) worse": the difference from {@code base} to {@code value}, its sign, the share of the base
     * and, for a figure that is better higher (or lower), the word; the colour only repeats it.
     */
    private static void differs(String shown, double base, double value, String unit, boolean higherIsBetter) {
        Matcher m = Pattern.compile("([▲▼]) ([+−])([0-9.]+) " + Pattern.quote(unit)
                + " \\(([+−])([0-9]+)%\\) (better|worse)").matcher(shown);
        assertThat(m.matches()).as("%s reads as a signed difference, share and judgement", shown).isTrue();
        double delta = value - base;
        assertThat(m.group(1)).isEqualTo(delta > 0 ? "▲" : "▼");
        assertThat(m.group(2)).isEqualTo(delta > 0 ? "+" : "−").isEqualTo(m.group(4));
        assertThat(Double.parseDouble(m.group(3))).isCloseTo(Math.abs(delta), within(0.051));
        assertThat(Double.parseDouble(m.group(5))).isCloseTo(Math.abs(delta / base * 100), within(0.51));
        assertThat(m.group(6)).isEqualTo((delta > 0) == higherIsBetter ? "better" : "worse");
    }
}
