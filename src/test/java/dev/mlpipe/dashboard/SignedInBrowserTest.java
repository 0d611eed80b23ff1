package dev.mlpipe.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

import dev.mlpipe.support.Accounts;
import dev.mlpipe.support.Browser;
import dev.mlpipe.support.RunSpecs;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The page behind a password, in headless Chromium: the browser's HTTP Basic sign-in covers the page's own requests,
 * its event streams included (EventSource cannot set headers); a viewer watches but cannot start runs.
 */
@QuarkusTest
@TestProfile(Accounts.class)
class SignedInBrowserTest {

    @TestHTTPResource("/")
    URL page;

    /** The page's address with the account in it, as a person types it or answers the browser's sign-in prompt. */
    private String signedIn(String user, String password) {
        return page.getProtocol() + "://" + user + ":" + password + "@" + page.getHost() + ":" + page.getPort() + "/";
    }

    private static int points(WebDriver driver) {
        String points = driver.findElement(By.id("run-charts")).getAttribute("data-points");
        return points == null ? 0 : Integer.parseInt(points);
    }

    private static String text(WebDriver driver, String id) {
        return driver.findElement(By.id(id)).getText();
    }

    @Test
    void anOperatorStartsARunFromThePageAndWatchesItToItsEnd() {
        try (Browser browser = Browser.open(1280, 1100)) {
            WebDriver driver = browser.driver();
            driver.get(signedIn("operator", Accounts.OPERATOR_PASSWORD));
            Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> d.findElement(By.id("caller")).isDisplayed());
            assertThat(text(driver, "caller")).isEqualTo("signed in as operator (operator)");
            assertThat(driver.findElement(By.id("start-form")).getText()).doesNotContain("needs an operator");
            browser.type("seed", "7");
            browser.type("inferenceMs", "1");
            browser.type("maxItems", "300");
            driver.findElement(By.id("start-button")).click();

            Browser.waitUpTo(driver, Duration.ofSeconds(30)).until(d -> "completed".equals(text(d, "live-state")));
            assertThat(text(driver, "summary")).contains("Run completed");
            assertThat(driver.findElements(By.cssSelector("#results tr"))).as("results came over the event stream")
                    .isNotEmpty();
            assertThat(browser.consoleErrors()).isEmpty();
        }
    }

    @Test
    void aViewerSeesNoOperatorControlsAndIsToldWhy() {
        String running = Accounts.operator().contentType(ContentType.JSON)
                .body(RunSpecs.spec().draws(100).inferenceMs(1000).json())
                .when().post("/api/runs").then().statusCode(201).extract().path("id");
        try (Browser browser = Browser.open(1280, 1100)) {
            WebDriver driver = browser.driver();
            driver.get(signedIn("viewer", Accounts.VIEWER_PASSWORD) + "#run=" + running);
            Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> d.findElement(By.id("caller")).isDisplayed());
            Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> "running".equals(text(d, "live-state")));

            assertThat(text(driver, "caller")).isEqualTo("signed in as viewer (viewer)");
            // its charts grow while it runs, a point per stats event, over the viewer's event stream
            Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> points(d) > 0);
            int first = points(driver);
            Browser.waitUpTo(driver, Duration.ofSeconds(10)).until(d -> points(d) >= first + 3);
            assertThat(text(driver, "live-state")).isEqualTo("running");
            for (String control : new String[] { "start-button", "settings-button", "sweep-button", "cancel-button",
                    "sweep-cancel" }) {
                assertThat(driver.findElement(By.id(control)).isDisplayed()).as(control + " is not shown").isFalse();
            }
            assertThat(driver.findElement(By.id("start-form")).getText())
                    .contains("Starting a run needs an operator account");
            // each place with an operator's control: the control not shown, the reason shown
            for (String[] place : new String[][] { { "settings", "settings-button", "settings-form" },
                    { "sweeps", "sweep-button", "sweep-form" } }) {
                driver.findElement(By.id("nav-" + place[0])).click();
                Browser.waitUpTo(driver, Duration.ofSeconds(10))
                        .until(d -> d.findElement(By.id(place[2])).isDisplayed());
                assertThat(driver.findElement(By.id(place[1])).isDisplayed()).as(place[1]).isFalse();
                assertThat(driver.findElement(By.id(place[2])).getText()).contains("needs an operator account");
            }
            assertThat(driver.findElement(By.id("start-seed-run")).isDisplayed()).isFalse();
            assertThat(browser.consoleErrors()).isEmpty();
        } finally {
            Accounts.operator().delete("/api/runs/" + running);
        }
    }

    @Test
    void withoutSigningInTheBrowserIsAskedToSignInAndShownNoPage() {
        try (Browser browser = Browser.open(1280, 1100)) {
            WebDriver driver = browser.driver();
            driver.get(page.toString());

            assertThat(browser.responses()).as("what the server answered the browser for the page")
                    .filteredOn(response -> response.url().equals(page.toString())).singleElement()
                    .satisfies(response -> {
                        assertThat(response.status()).isEqualTo(401);
                        assertThat(response.headers().get("WWW-Authenticate")).as("the sign-in challenge")
                                .startsWithIgnoringCase("Basic realm=");
                    });
            assertThat(driver.findElements(By.id("start-button"))).isEmpty();
        }
    }
}
