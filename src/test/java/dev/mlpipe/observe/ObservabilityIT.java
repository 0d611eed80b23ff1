package dev.mlpipe.observe;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
public class ObservabilityIT extends ObservabilityTest {
}
