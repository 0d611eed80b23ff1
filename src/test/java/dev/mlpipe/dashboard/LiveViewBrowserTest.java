package dev.mlpipe.dashboard;

import static dev.mlpipe.support.Api.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

import dev.mlpipe.support.Browser;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The page follows a run as fast as the pipeline makes results: its live view takes the newest results and the stats,
 * skipping the rest, so it neither falls behind and reconnects nor holds the run up.
 */
@QuarkusTest
@Tag("slow")
class LiveViewBrowserTest extends PageTest {

    private static final Pattern RECEIVED = Pattern.compile("(\\d+) received, (\\d+) skipped by the live view");


    @Test
    void aMillionItemRunIsFollowedLiveToItsEndWithoutReconnecting() {
        WebDriver driver = open(1280, 1100, page.toString());
        // every state the run view shows, with when the browser showed it
        browser.driver().executeScript("""
                window.shownStates = [];
                new MutationObserver(() => window.shownStates.push(
                    [Date.now(), document.getElementById('live-state').textContent]))
                  .observe(document.getElementById('live-state'), {childList: true, characterData: true, subtree: true});
                """);
        browser.type("maxItems", "1000000");
        browser.type("min", "1");
        browser.type("max", "2000000000");
        browser.type("sentinel", "2000000000");
        browser.type("inferenceMs", "0");
        driver.findElement(By.id("start-button")).click();

        Browser.waitUpTo(driver, Duration.ofSeconds(120))
                .until(d -> "completed".equals(d.findElement(By.id("live-state")).getText()));
        String id = driver.findElement(By.id("live-id")).getText();
        JsonPath run = awaitEnd(id);

        @SuppressWarnings("unchecked")
        List<List<Object>> states = (List<List<Object>>) browser.driver().executeScript("return window.shownStates;");
        assertThat(states).extracting(s -> s.get(1)).as("the states the view showed").doesNotContain("reconnecting");
        long shownAt = states.stream().filter(s -> "completed".equals(s.get(1)))
                .mapToLong(s -> ((Number) s.get(0)).longValue()).min().orElseThrow();
        long endedAt = Instant.parse(run.getString("endedAt")).toEpochMilli();
        System.out.printf("LiveViewBrowserTest: %,.0f items/s with the page watching; completed shown %d ms after the "
                + "run ended%n", run.getDouble("stats.throughput"), shownAt - endedAt);
        assertThat(shownAt - endedAt).as("ms from the run's end to the page showing it").isLessThan(3_000);

        assertThat(driver.findElement(By.id("c-processed")).getText()).isEqualTo("1000000");
        assertThat(driver.findElement(By.id("summary")).getText()).contains("Run completed", "1000000 processed");
        Matcher note = RECEIVED.matcher(driver.findElement(By.id("rows-note")).getText());
        assertThat(note.find()).as("the view says how many results it skipped").isTrue();
        long received = Long.parseLong(note.group(1));
        long skipped = Long.parseLong(note.group(2));
        assertThat(received).as("a live view takes a sample, not every result").isLessThan(50_000);
        assertThat(received + skipped).as("what it took and what it skipped add up to the run").isEqualTo(1_000_000);
        browser.screenshot("dashboard-million-live");
        assertThat(browser.consoleErrors()).isEmpty();
    }
}
