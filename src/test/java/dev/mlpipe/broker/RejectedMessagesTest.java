package dev.mlpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

import dev.mlpipe.support.LogCapture;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySource;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

/**
 * Anyone who can publish to the items queue can send anything, as often as they like: a flood of messages that are not
 * items is one warning line (and a count a minute later), never a line each, and what a message holds is escaped and
 * cut, so that a line break in it cannot forge a log line.
 */
@QuarkusTest
@QuarkusTestResource(value = InMemoryModelLinks.class, restrictToAnnotatedClass = true)
class RejectedMessagesTest {

    private static final String FORGED = "2026-01-01 00:00:00,000 INFO  [dev.mlpipe] the operator's password is ...";

    @Inject
    @Any
    InMemoryConnector connector;

    @Test
    void aFloodOfMessagesThatAreNotItemsIsOneEscapedWarning() {
        InMemorySource<Message<Object>> items = connector.source("items-in");
        AtomicInteger acknowledged = new AtomicInteger();
        try (LogCapture warnings = LogCapture.warnings(BrokerIntake.class)) {
            for (int i = 0; i < 50; i++) {
                byte[] junk = ("not an item " + i + "\n" + FORGED + "x".repeat(500)).getBytes(StandardCharsets.UTF_8);
                items.send(Message.<Object> of(junk, () -> {
                    acknowledged.incrementAndGet();
                    return CompletableFuture.completedFuture(null);
                }));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.get() == 50); // each rejected, and acked

            assertThat(warnings.lines()).as("one line for the flood").singleElement().asString()
                    .contains("rejected a message on the items queue", "not an item 0\\n2026-01-01")
                    .doesNotContain("\n", "x".repeat(200));
        }
    }
}
