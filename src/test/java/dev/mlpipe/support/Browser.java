package dev.mlpipe.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.restassured.path.json.JsonPath;

/**
 * Debian's headless Chromium driven through Debian's ChromeDriver: nothing is downloaded. Without them the browser
 * tests are skipped on a developer's machine and fail in CI (where {@code CI} is set), naming the install command.
 * {@link #open} starts a Chromium of its own, quit at {@link #close}; {@link #kept} lends this JVM's kept one.
 */
public final class Browser implements AutoCloseable {

    public static final String CHROMIUM = "/usr/bin/chromium";
    public static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final String INSTALL = "apt-get install -y chromium chromium-driver";
    /**
     * How often a wait for the page looks again: with Selenium's 500 ms each wait ended up to half a second after the
     * page had changed, seconds a test over its dozens of waits.
     */
    private static final Duration POLL = Duration.ofMillis(100);

    /**
     * Chromiums that tests gave back, for the next {@link #kept}: a start (Chromium's processes, ChromeDriver, a
     * session) costs about a second of CPU, and the browser tests of one JVM started three dozen.
     */
    private static final Deque<Browser> KEPT = new ArrayDeque<>();

    private final ChromeDriver driver;
    private final Path profile;
    private final boolean kept;

    private Browser(ChromeDriver driver, Path profile, boolean kept) {
        this.driver = driver;
        this.profile = profile;
        this.kept = kept;
    }

    /** A wait for the page to come to a condition, within this time. */
    public static WebDriverWait waitUpTo(WebDriver driver, Duration timeout) {
        return new WebDriverWait(driver, timeout, POLL);
    }

    /** A Chromium of its own, in a new profile, at this window size: quit at {@link #close}. */
    public static Browser open(int width, int height) {
        return start(width, height, false);
    }

    /**
     * This JVM's kept Chromium at this window size, as a new one would be for a page of this service: one tab, no
     * cookies, an empty cache, no console or network entries left. At {@link #close} it goes back for the next test:
     * its tabs closed (with each tab's scripts and emulation), a new blank one open. Not for a test that signs in:
     * Chromium keeps what was typed for Basic authentication for as long as it runs.
     */
    public static Browser kept(int width, int height) {
        Browser browser;
        synchronized (KEPT) {
            browser = KEPT.poll();
        }
        if (browser == null) {
            return start(width, height, true);
        }
        browser.driver.manage().window().setSize(new Dimension(width, height));
        return browser;
    }

    private static Browser start(int width, int height, boolean kept) {
        boolean present = new File(CHROMIUM).canExecute() && new File(CHROMEDRIVER).canExecute();
        if (!present) {
            String message = "Chromium and ChromeDriver are not installed; install them with: " + INSTALL;
            if (System.getenv("CI") != null) {
                Assertions.fail(message);
            }
            Assumptions.abort(message);
        }
        try {
            Path profile = Files.createTempDirectory("mlpipe-chromium-");
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM).addArguments(
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--user-data-dir=" + profile);
            // the performance log carries the DevTools network events: what the server answered, headers and all
            options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL", LogType.PERFORMANCE, "INFO"));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().window().setSize(new Dimension(width, height));
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
            Browser browser = new Browser(driver, profile, kept);
            if (kept) {
                Runtime.getRuntime().addShutdownHook(new Thread(browser::quit, "quit-kept-chromium"));
            }
            return browser;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    /** Types {@code value} into the run form's {@code field} in place of what it held. */
    public void type(String field, String value) {
        typeInto("f-" + field, value);
    }

    /** Types this value into the input with this id, in place of what it held. */
    public void typeInto(String id, String value) {
        WebElement input = driver().findElement(By.id(id));
        input.clear();
        input.sendKeys(value);
    }

    /** Console messages at error level since the last call. */
    public List<String> consoleErrors() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    /** An answer the browser received: its address, status and headers (names in any case). */
    public record Response(String url, int status, Map<String, String> headers) {
    }

    /** The answers the browser received since the last call, in order. */
    public List<Response> responses() {
        return driver.manage().logs().get(LogType.PERFORMANCE).getAll().stream()
                .map(entry -> JsonPath.from(entry.getMessage()))
                .filter(event -> "Network.responseReceived".equals(event.getString("message.method")))
                .map(event -> {
                    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                    headers.putAll(event.getMap("message.params.response.headers", String.class, String.class));
                    return new Response(event.getString("message.params.response.url"),
                            event.getInt("message.params.response.status"), headers);
                })
                .toList();
    }

    /**
     * Makes the page's viewport exactly this size in CSS pixels, at a pixel ratio of 1: the window's own size leaves
     * less for the page (its frame), and a screenshot shows the viewport.
     */
    public void viewport(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    /** Saves what the browser shows as target/screenshots/{name}.png, for a person (and CI's artifacts) to look at. */
    public Path screenshot(String name) {
        try {
            Path target = Path.of("target", "screenshots", name + ".png");
            Files.createDirectories(target.getParent());
            Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (!kept) {
            quit();
        } else if (cleared()) {
            synchronized (KEPT) {
                KEPT.push(this);
            }
        }
    }

    /** Whether the kept browser is as {@link #kept} promises, on a new tab; if it could not be made so, it is quit. */
    private boolean cleared() {
        try {
            String fresh = driver.switchTo().newWindow(WindowType.TAB).getWindowHandle();
            for (String tab : driver.getWindowHandles()) {
                if (!tab.equals(fresh)) {
                    driver.switchTo().window(tab).close();
                }
            }
            driver.switchTo().window(fresh);
            driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
            driver.executeCdpCommand("Network.clearBrowserCache", Map.of());
            driver.manage().logs().get(LogType.BROWSER);
            driver.manage().logs().get(LogType.PERFORMANCE);
            return true;
        } catch (WebDriverException broken) {
            quit(); // the next test starts a new one
            return false;
        }
    }

    private void quit() {
        try {
            driver.quit();
        } catch (WebDriverException gone) {
            // its processes are gone already
        }
        try (var files = Files.walk(profile)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
