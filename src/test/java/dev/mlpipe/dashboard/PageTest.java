package dev.mlpipe.dashboard;

import java.net.URL;

import org.junit.jupiter.api.AfterEach;

import dev.mlpipe.support.Browser;
import io.quarkus.test.common.http.TestHTTPResource;

/** What every browser test of the page has: the page's address, and the Chromium a test opens, closed after it. */
abstract class PageTest {

    @TestHTTPResource("/")
    URL page;

    Browser browser;

    @AfterEach
    void close() {
        if (browser != null) {
            browser.close();
        }
    }
}
