package dev.mlpipe.reliability;

import static dev.mlpipe.support.Api.cancel;
import static dev.mlpipe.support.Api.run;
import static dev.mlpipe.support.Api.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Api;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;

/** Promise 4: clients that disconnect mid-stream free their subscriptions at once, and the run goes on. */
@QuarkusTest
public class VanishingClientsTest {

    @Test
    void twentyClientsThatGoAwayLeaveNoSubscriptionBehind() {
        String id = start(RunSpecs.spec().items(1, 2000).noSentinel().inferenceMs(0).loadIntervalMs(5).json());
        int before = Api.pipeline().getInt("subscribers");
        List<SseClient> clients = IntStream.range(0, 20)
                .mapToObj(i -> SseClient.connect("/api/runs/" + id + "/events")).toList();
        clients.forEach(c -> assertThat(c.next(Duration.ofSeconds(10))).isNotNull());
        await().atMost(Duration.ofSeconds(5)).until(() -> Api.pipeline().getInt("subscribers") == before + 20);
        assertThat(run(id).getInt("subscribers")).isEqualTo(20);

        clients.forEach(SseClient::close);

        await().atMost(Duration.ofSeconds(5)).until(() -> Api.pipeline().getInt("subscribers") == before);
        assertThat(run(id).getInt("subscribers")).isZero();
        long loaded = run(id).getLong("counts.loaded");
        await().atMost(Duration.ofSeconds(5)).until(() -> run(id).getLong("counts.loaded") > loaded);
        assertThat(run(id).getString("state")).isEqualTo("running");
        cancel(id);
    }
}
