package dev.mlpipe.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** A test profile with sign-in required, as in production with both passwords set; and requests as each account. */
public class Accounts implements QuarkusTestProfile {

    public static final String OPERATOR_PASSWORD = "op-secret-1";
    public static final String VIEWER_PASSWORD = "view-secret-2";
    /** Small, so a test can show that each signed-in user has a cap of their own, whatever their address. */
    public static final int STREAMS_PER_CLIENT = 3;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mlpipe.auth.enabled", "true", "mlpipe.auth.operator-password", OPERATOR_PASSWORD,
                "mlpipe.auth.viewer-password", VIEWER_PASSWORD,
                "mlpipe.limits.streams-per-client", Integer.toString(STREAMS_PER_CLIENT));
    }

    public static RequestSpecification operator() {
        return RestAssured.given().auth().preemptive().basic("operator", OPERATOR_PASSWORD);
    }

    /** The Authorization header of an account, for clients other than rest-assured. */
    public static Map<String, String> basic(String user, String password) {
        return Map.of("Authorization", "Basic " + java.util.Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    public static RequestSpecification viewer() {
        return RestAssured.given().auth().preemptive().basic("viewer", VIEWER_PASSWORD);
    }
}
