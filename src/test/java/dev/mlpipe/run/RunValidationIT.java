package dev.mlpipe.run;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
public class RunValidationIT extends RunValidationTest {
}
