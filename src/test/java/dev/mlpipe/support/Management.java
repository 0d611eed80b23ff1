package dev.mlpipe.support;

import java.net.URI;

import io.quarkus.test.common.http.TestHTTPResourceManager;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** Requests to the management interface (its own port: /q/metrics, /q/health, /q/openapi), as a scraper makes them. */
public final class Management {

    private Management() {
    }

    /** For paths as operators write them ({@code /q/metrics}); Quarkus gives the interface's address with its root. */
    public static RequestSpecification given() {
        return RestAssured.given().baseUri(URI.create(TestHTTPResourceManager.getManagementUri()).resolve("/").toString());
    }
}
