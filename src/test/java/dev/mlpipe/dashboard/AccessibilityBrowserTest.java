package dev.mlpipe.dashboard;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.start;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

import dev.mlpipe.support.Browser;
import dev.mlpipe.support.RunSpecs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Each place of the page checked by axe-core (the WCAG 2 A and AA rules and best practices), as it shows a run, a
 * comparison, a sweep, the models and the settings: no violation that axe calls serious or critical.
 */
@QuarkusTest
class AccessibilityBrowserTest extends PageTest {

    /** axe.min.js from the axe-core jar (com.deque.html.axe-core:selenium), injected as a test's script. */
    private static String axe() {
        try (InputStream in = AccessibilityBrowserTest.class.getClassLoader().getResourceAsStream("axe.min.js")) {
            assertThat(in).as("axe.min.js on the test classpath").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The serious and critical violations on the page as it is, each as its rule, impact and first few elements. */
    @SuppressWarnings("unchecked")
    private List<String> seriousViolations() {
        browser.driver().executeScript(axe());
        browser.driver().manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        List<Map<String, Object>> violations = (List<Map<String, Object>>) browser.driver().executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { runOnly: { type: 'tag',
                        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
                    .then(r => done(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }))))
                    .catch(e => done([{ id: 'axe failed', impact: 'critical', help: String(e), nodes: [] }]));""");
        return violations.stream().filter(v -> List.of("serious", "critical").contains(v.get("impact")))
                .map(v -> v.get("id") + " (" + v.get("impact") + "): " + v.get("help") + " at " + v.get("nodes"))
                .toList();
    }

    private static void awaitText(WebDriver driver, String id, String text) {
        Browser.waitUpTo(driver, Duration.ofSeconds(30)).until(d -> text.equals(d.findElement(By.id(id)).getText()));
    }

    @Test
    void eachPlaceHasNoSeriousOrCriticalViolation() {
        String first = start(RunSpecs.spec().items(1, 20).noSentinel().inferenceMs(0).named("first", "a11y").json());
        String digits = start("{\"model\":\"digits\",\"dataset\":\"digits\",\"maxItems\":40}");
        awaitEnd(first);
        awaitEnd(digits);

        Map<String, List<String>> found = new java.util.LinkedHashMap<>();
        WebDriver driver = open(1280, 1000, page + "#run=" + first);
        awaitText(driver, "live-state", "completed");
        found.put("Runs, a simulated run", seriousViolations());

        driver.get(page + "#run=" + digits);
        awaitText(driver, "live-state", "completed");
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> !d.findElements(
                By.cssSelector("#digit-results canvas")).isEmpty());
        found.put("Runs, a digits run", seriousViolations());

        driver.get(page + "#compare=" + first + "," + digits);
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> d.findElements(
                By.cssSelector("#compare-head th.run")).size() == 2);
        found.put("Compare", seriousViolations());

        driver.get(page + "#sweeps");
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> d.findElement(By.id("sweep-button")).isDisplayed());
        found.put("Sweeps", seriousViolations());

        String sweep = given().contentType(ContentType.JSON).body("""
                {"run": {"maxItems": 20, "inferenceMs": 0, "sentinel": null}, "vary": {"inferenceMs": [0, 1]},
                 "repeats": 1}""").post("/api/sweeps").then().statusCode(201).extract().path("id");
        driver.get(page + "#sweep=" + sweep);
        Browser.waitUpTo(driver, Duration.ofSeconds(60)).until(d -> d.findElements(
                By.cssSelector("#sweep-steps tr")).size() == 2);
        found.put("Sweeps, a sweep of two steps", seriousViolations());

        driver.get(page + "#models");
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> !d.findElements(
                By.cssSelector("#model-rows tr")).isEmpty());
        found.put("Models", seriousViolations());

        driver.get(page + "#settings");
        Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> !d.findElement(By.id("s-capacity"))
                .getAttribute("value").isEmpty());
        found.put("Settings", seriousViolations());

        driver.manage().window().setSize(new org.openqa.selenium.Dimension(360, 800)); // tables scroll sideways
        driver.get(page + "#run=" + digits);
        awaitText(driver, "live-state", "completed");
        found.put("Runs, a digits run, 360 px wide", seriousViolations());
        assertThat(found).as("serious and critical violations by place").allSatisfy((place, violations) ->
                assertThat(violations).as(place).isEmpty());
        assertThat(browser.consoleErrors()).isEmpty();
    }
}
