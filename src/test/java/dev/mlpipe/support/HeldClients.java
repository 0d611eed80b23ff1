package dev.mlpipe.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * For tests of a client that reads slowly, or stops reading and holds on: a pace window far below the runs' sizes, a
 * small server send buffer so that the kernel does not hide the client's pace ({@link SendBuffer}), and a stall timeout
 * far longer than any test, so that the client is never cut off (cutting off is StalledClientTest's matter). One
 * profile for all such tests, so that Quarkus starts the service once for them.
 */
public class HeldClients implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mlpipe.stream.history", "500", "mlpipe.stream.stall-timeout", "10m",
                "test.http.send-buffer-size", "4096");
    }
}
