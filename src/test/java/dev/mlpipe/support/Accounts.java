package dev.mlpipe.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** A test profile with sign-in required, as in production with both passwords set; and requests as each account. */
public class Accounts implements QuarkusTestProfile {

    public static final String OPERATOR_PASSWORD = "op-secret-1";
    public static final String VIEWER_PASSWORD = "view-secret-2";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mlpipe.auth.enabled", "true", "mlpipe.auth.operator-password", OPERATOR_PASSWORD,
                "mlpipe.auth.viewer-password", VIEWER_PASSWORD);
    }

    public static RequestSpecification operator() {
        return RestAssured.given().auth().preemptive().basic("operator", OPERATOR_PASSWORD);
    }

    public static RequestSpecification viewer() {
        return RestAssured.given().auth().preemptive().basic("viewer", VIEWER_PASSWORD);
    }
}
