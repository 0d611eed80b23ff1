package dev.mlpipe.dashboard;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.start;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import dev.mlpipe.support.Browser;
import dev.mlpipe.support.RunSpecs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Each place as a person sees it on a laptop (1280x800) and a phone (390x844), with a finished run, a comparison and a
 * finished small sweep, saved as target/screenshots/{place}-{width}.png for CI to keep (docs/dashboard.png is the run
 * place at 1280). On each: the place's heading is in sight and nothing runs off the side of the screen.
 */
@QuarkusTest
class ScreenshotsBrowserTest extends PageTest {

    /** A place: its name, its address, its heading, and what it shows once its data has come. */
    private record Place(String name, String address, String heading, Function<WebDriver, Boolean> ready) {
    }

    private static boolean text(WebDriver driver, String id, String text) {
        return text.equals(driver.findElement(By.id(id)).getText());
    }

    @Test
    void eachPlaceAtBothSizesShowsItsHeadingAndFitsTheScreen() {
        String first = start(RunSpecs.spec().items(1, 120).noSentinel().inferenceMs(2).named("fast model").json());
        String second = start(RunSpecs.spec().items(1, 120).noSentinel().inferenceMs(6).named("slow model").json());
        String sweep = given().contentType(ContentType.JSON).body("""
                {"run": {"maxItems": 40, "inferenceMs": 2, "sentinel": null}, "vary": {"inferenceMs": [1, 2, 4]},
                 "repeats": 2}""").post("/api/sweeps").then().statusCode(201).extract().path("id");
        String processed = awaitEnd(first).getString("counts.processed");
        awaitEnd(second);
        await().atMost(Duration.ofSeconds(60)).until(() -> "completed".equals(
                given().get("/api/sweeps/" + sweep).jsonPath().getString("state")));

        List<Place> places = List.of(
                new Place("run", "#run=" + first, "live-title", d -> text(d, "live-state", "completed")
                        && processed.equals(d.findElement(By.id("run-charts")).getAttribute("data-processed"))),
                new Place("compare", "#compare=" + first + "," + second, "compare-title",
                        d -> "2".equals(d.findElement(By.id("compare-cdf")).getAttribute("data-series"))
                                && text(d, "cmp-state-" + second, "completed")),
                new Place("sweep", "#sweep=" + sweep, "sweeps-title", d -> text(d, "sweep-state", "completed")
                        && d.findElements(By.cssSelector("#sweep-steps tr")).size() == 3),
                new Place("models", "#models", "models-title",
                        d -> !d.findElements(By.cssSelector("#model-rows tr")).isEmpty()),
                new Place("settings", "#settings", "settings-title",
                        d -> !d.findElement(By.id("s-capacity")).getAttribute("value").isEmpty()));
        List<Path> saved = new ArrayList<>();
        WebDriver driver = open(1280, 800, "about:blank");
        for (int[] size : List.of(new int[] { 1280, 800 }, new int[] { 390, 844 })) {
            browser.viewport(size[0], size[1]);
            for (Place place : places) {
                driver.get("about:blank");
                driver.get(page + place.address());
                Browser.waitUpTo(driver, Duration.ofSeconds(30)).until(place.ready()::apply);
                ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
                String at = place.name() + " at " + size[0] + " px";
                assertThat(inSight(place.heading())).as("%s: its heading in sight", at).isTrue();
                assertThat(overflow()).as("%s: nothing off the side of the screen", at).isNull();
                saved.add(browser.screenshot(place.name() + "-" + size[0]));
            }
        }
        assertThat(saved).hasSize(10).allSatisfy(png -> assertThat(Files.size(png)).isPositive());
        assertThat(browser.consoleErrors()).isEmpty();
    }

    /** Displayed, and within the first screen once the page is at its top (compare.js scrolls its section up). */
    private boolean inSight(String id) {
        return (Boolean) browser.driver().executeScript("""
                const e = document.getElementById(arguments[0]);
                const r = e.getBoundingClientRect();
                return e.checkVisibility() && r.width > 0 && r.bottom > 0 && r.top < innerHeight
                    && r.right <= innerWidth;""", id);
    }
}
