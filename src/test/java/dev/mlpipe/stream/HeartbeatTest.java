package dev.mlpipe.stream;

import static dev.mlpipe.support.Api.cancel;
import static dev.mlpipe.support.Api.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(HeartbeatTest.QuietStream.class)
class HeartbeatTest {

    /** Stats events would keep the stream busy; here they are rare, so the stream goes quiet between items. */
    public static class QuietStream implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mlpipe.stream.heartbeat", "500ms", "mlpipe.stream.stats-interval", "1h");
        }
    }

    @Test
    void aQuietStreamSendsKeepAliveCommentsAndNothingElse() {
        String id = start(RunSpecs.spec().items(List.of(1, 2)).noSentinel().inferenceMs(0).loadIntervalMs(60_000)
                .json());
        try (SseClient client = SseClient.connect("/api/runs/" + id + "/events")) {
            assertThat(client.next(Duration.ofSeconds(5)).id()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(3))
                    .until(() -> client.comments().stream().filter("keep-alive"::equals).count() >= 2);
            assertThat(client.next(Duration.ZERO)).as("no event besides the comments").isNull();
        } finally {
            cancel(id);
        }
    }
}
