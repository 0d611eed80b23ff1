package dev.mlpipe.serve;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/**
 * The v2 server's protocol tests against the packaged jar, as a client of the shipped service meets it: its metadata,
 * JSON and binary bodies and error objects through the jar's HTTP stack and serialization (and the native binary's,
 * where one is built), on the default profile's jar, which the other {@code @QuarkusIntegrationTest}s share.
 */
@QuarkusIntegrationTest
class V2ServerIT extends V2ServerTest {
}
