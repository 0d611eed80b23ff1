package dev.mlpipe.support;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * Named users signing in behind a proxy whose {@code X-Forwarded-For} the service trusts, for the tests of sign-in
 * (SignInTest: five failures from one address refused for a minute, an operator password taken as written) and of
 * limits per person and per address (AddressLimitsTest). One profile for both, so that Quarkus starts the service once:
 * the limits only count runs and streams, which SignInTest ends at once, and AddressLimitsTest never fails a sign-in.
 */
public class NamedUsersBehindAProxy implements QuarkusTestProfile {

    /** Spaces and what looks like a config expression, which would stop the start if it were expanded. */
    public static final String OPERATOR_PASSWORD = " op ${no.such.variable} pass ";

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> settings = new HashMap<>(NamedUsers.settings());
        settings.putAll(Map.of("mlpipe.auth.operator-password", OPERATOR_PASSWORD,
                "mlpipe.auth.sign-in-failures", "5", "mlpipe.auth.sign-in-lockout", "60s",
                "quarkus.http.proxy.proxy-address-forwarding", "true",
                "quarkus.http.proxy.allow-x-forwarded", "true"));
        settings.putAll(Map.of("mlpipe.limits.runs-per-client", "2", "mlpipe.limits.runs-per-address", "3",
                "mlpipe.limits.streams-per-client", "2", "mlpipe.limits.streams-per-address", "3",
                "mlpipe.limits.model-time-per-client", "30m"));
        return settings;
    }

    /** Requests as the operator account of the two passwords. */
    public static RequestSpecification operator() {
        return RestAssured.given().auth().preemptive().basic("operator", OPERATOR_PASSWORD);
    }
}
