package dev.mlpipe.reliability;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
public class HostileInputIT extends HostileInputTest {
}
