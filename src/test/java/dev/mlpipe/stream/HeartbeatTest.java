package dev.mlpipe.stream;

import static dev.mlpipe.support.Api.cancel;
import static dev.mlpipe.support.Api.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SmallSettings;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(SmallSettings.class)
class HeartbeatTest {

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
