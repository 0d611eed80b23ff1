package dev.mlpipe.support;

import io.quarkus.test.junit.callback.QuarkusTestBeforeTestExecutionCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.config.RestAssuredConfig;

/**
 * Before each {@code @QuarkusTest}, the request and answer that Quarkus has rest-assured log when a check on them
 * fails are logged as they were sent, not pretty-printed. rest-assured makes that log for every request, failing or
 * not, and pretty-printing each answer's JSON through Groovy's lexer was 4 to 16% of a unit-test JVM's CPU (JFR, the
 * three suites of {@code ./mvnw verify}). Quarkus turns the log on again before each test (with pretty-printing),
 * after the before-each callbacks and before this one.
 */
public final class PlainFailureLog implements QuarkusTestBeforeTestExecutionCallback {

    @Override
    public void beforeTestExecution(QuarkusTestMethodContext context) {
        RestAssuredConfig config = RestAssured.config();
        RestAssured.config = config.logConfig(config.getLogConfig().enablePrettyPrinting(false));
    }
}
