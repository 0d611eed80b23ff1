package dev.mlpipe.stream;

import io.quarkus.test.junit.QuarkusIntegrationTest;

@QuarkusIntegrationTest
public class FollowFromTheStartIT extends FollowFromTheStartTest {
}
