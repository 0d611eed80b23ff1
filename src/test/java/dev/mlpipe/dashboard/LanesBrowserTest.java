package dev.mlpipe.dashboard;

import static dev.mlpipe.support.Api.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.mlpipe.support.Browser;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** A run's priority and deadline set on the page, its expired items and its batches shown there. */
@QuarkusTest
class LanesBrowserTest {

    @TestHTTPResource("/")
    URL page;

    private Browser browser;

    @AfterEach
    void close() {
        if (browser != null) {
            browser.close();
        }
    }

    private static String text(WebDriver driver, String id) {
        return driver.findElement(By.id(id)).getText();
    }

    @Test
    void aRunWithAPriorityAndADeadlineShowsItsExpiredItemsAndTheLanes() {
        browser = Browser.open(1280, 1100);
        WebDriver driver = browser.driver();
        driver.get(page.toString());
        browser.type("seed", "11");
        browser.type("min", "1");
        browser.type("max", "1000000");
        browser.type("sentinel", "1000000");
        browser.type("maxItems", "40");
        browser.type("inferenceMs", "40");
        browser.type("deadlineMs", "100");
        new Select(driver.findElement(By.id("f-priority"))).selectByValue("2");
        driver.findElement(By.id("start-button")).click();

        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> "completed".equals(text(d, "live-state")));
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
        assertThat(Integer.parseInt(driver.findElement(By.id("batch-chart")).getAttribute("data-points")))
                .as("a point per batch: batches of one here").isEqualTo((int) end.getLong("counts.processed"));
        browser.screenshot("dashboard-expired-items");
        assertThat(browser.consoleErrors()).isEmpty();
    }
}
