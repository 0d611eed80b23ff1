package dev.mlpipe.dashboard;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.start;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

import dev.mlpipe.support.Browser;
import dev.mlpipe.support.RunSpecs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The Runs place: a sweep's runs under one entry of the list, and the queue labelled by whose items it counts. */
@QuarkusTest
class RunsPlaceBrowserTest extends PageTest {

    @Test
    void aSweepsRunsAreOneCollapsedEntryOfTheListThatOpensToShowThem() {
        String sweep = given().contentType(ContentType.JSON).body("""
                {"run": {"maxItems": 10, "inferenceMs": 0, "sentinel": null}, "vary": {"inferenceMs": [0, 1, 2]},
                 "repeats": 1}""").post("/api/sweeps").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(60)).until(() -> !"running".equals(
                given().get("/api/sweeps/" + sweep).then().extract().path("state")));
        List<String> sweepRuns = given().get("/api/runs?sweep=" + sweep).then().extract().jsonPath().getList("id");
        String mine = start(RunSpecs.spec().items(1, 3).noSentinel().inferenceMs(0).json());
        awaitEnd(mine);
        assertThat(sweepRuns).hasSize(3);

        WebDriver driver = open(1280, 1000, page + "#runs");
        By entry = By.cssSelector("#runs > li.sweep-entry[data-sweep='" + sweep + "']");
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> !d.findElements(entry).isEmpty()
                && !d.findElements(By.cssSelector("#runs > li > button[data-id='" + mine + "']")).isEmpty());
        WebElement toggle = driver.findElement(entry).findElement(By.cssSelector("button.sweep-toggle"));
        assertThat(toggle.getText().replace('\n', ' ')).contains("sweep", "done", sweep, "3 runs");
        assertThat(toggle.getAttribute("aria-expanded")).isEqualTo("false");
        assertThat(driver.findElements(entry)).as("one entry for the sweep").hasSize(1);
        for (String run : sweepRuns) {
            assertThat(driver.findElements(By.cssSelector("#runs > li > button[data-id='" + run + "']")))
                    .as("not an entry of the list itself").isEmpty();
            assertThat(runButton(driver, run).isDisplayed()).as("a sweep's run, collapsed").isFalse();
        }
        assertThat(runButton(driver, mine).isDisplayed()).as("a run of one's own, as before").isTrue();
        assertThat(driver.findElement(entry).findElement(By.cssSelector("a")).getAttribute("href"))
                .endsWith("#sweep=" + sweep);

        toggle.click();

        assertThat(toggle.getAttribute("aria-expanded")).isEqualTo("true");
        for (String run : sweepRuns) {
            assertThat(runButton(driver, run).isDisplayed()).as("its runs, once opened").isTrue();
        }
        runButton(driver, sweepRuns.get(0)).click();
        assertThat(driver.getCurrentUrl()).endsWith("#run=" + sweepRuns.get(0));
        assertThat(runButton(driver, sweepRuns.get(1)).isDisplayed()).as("still open").isTrue();
        driver.findElement(entry).findElement(By.cssSelector("a")).click();
        assertThat(driver.getCurrentUrl()).endsWith("#sweep=" + sweep);

        driver.get("about:blank");
        driver.get(page + "#run=" + sweepRuns.get(2)); // a sweep's run, from its address (a step's link)
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> !d.findElements(entry).isEmpty()
                && runButton(d, sweepRuns.get(2)).isDisplayed()
                && "true".equals(runButton(d, sweepRuns.get(2)).getAttribute("aria-current")));
        assertThat(browser.consoleErrors()).isEmpty();
    }

    @Test
    void aRunsViewSaysWhichQueueEachFigureCounts() {
        String id = start(RunSpecs.spec().items(1, 12).noSentinel().inferenceMs(5).json());
        JsonPath view = awaitEnd(id);
        WebDriver driver = open(1280, 1000, page + "#run=" + id);

        JsonPath queue = view.setRootPath("queue");
        String all = String.format(Locale.ROOT, "mean %s · max %d of %d", toFixed1(queue.getDouble("meanDepth")),
                queue.getInt("maxDepth"), queue.getInt("capacity"));
        String own = String.format(Locale.ROOT, "mean %s · max %d", toFixed1(queue.getDouble("ownMeanDepth")),
                queue.getInt("ownMaxDepth"));
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> tile(d, "c-queueAll").equals(all)
                && tile(d, "c-queueOwn").equals(own));
        assertThat(label(driver, "c-queueAll")).isEqualTo("queue, all runs");
        assertThat(label(driver, "c-queueOwn")).isEqualTo("queue, this run");
    }

    /**
     * As the page writes a mean, JavaScript's {@code toFixed(1)}: the double's exact value rounded, so 0.35 (0.3499...)
     * is 0.3 where {@code %.1f} writes 0.4. A mean depth depends on timing, so it only now and then lands on such a
     * value.
     */
    private static String toFixed1(double value) {
        return new BigDecimal(value).setScale(1, RoundingMode.HALF_UP).toPlainString();
    }

    private static WebElement runButton(WebDriver driver, String id) {
        return driver.findElement(By.cssSelector("#runs button[data-id='" + id + "']"));
    }

    private static String tile(WebDriver driver, String id) {
        return driver.findElement(By.id(id)).getText();
    }

    private static String label(WebDriver driver, String id) {
        return driver.findElement(By.id(id)).findElement(By.xpath("preceding-sibling::dt")).getText();
    }
}
