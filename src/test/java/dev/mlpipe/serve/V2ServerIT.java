package dev.mlpipe.serve;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The v2 server's protocol tests against the packaged jar, as a client of the shipped service meets it. */
@QuarkusIntegrationTest
class V2ServerIT extends V2ServerTest {
}
