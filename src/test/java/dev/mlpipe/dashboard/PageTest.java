package dev.mlpipe.dashboard;

import java.net.URL;

import org.junit.jupiter.api.AfterEach;
import org.openqa.selenium.WebDriver;

import dev.mlpipe.support.Browser;
import io.quarkus.test.common.http.TestHTTPResource;

/** What every browser test of the page has: the page's address, and this JVM's kept Chromium, given back after. */
abstract class PageTest {

    @TestHTTPResource("/")
    URL page;

    Browser browser;

    /** Opens the kept Chromium at this size on this address of the service, and returns its driver. */
    WebDriver open(int width, int height, String address) {
        browser = Browser.kept(width, height);
        WebDriver driver = browser.driver();
        driver.get(address);
        return driver;
    }

    /** What runs off the side of the screen (the first five elements), or null when nothing does. */
    Object overflow() {
        return browser.driver().executeScript("""
                const root = document.documentElement;
                return root.scrollWidth <= root.clientWidth ? null
                    : [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1)
                        .map(e => e.tagName + '#' + e.id + '.' + e.className).slice(0, 5).join(', ');
                """);
    }

    @AfterEach
    void close() {
        if (browser != null) {
            browser.close();
        }
    }
}
