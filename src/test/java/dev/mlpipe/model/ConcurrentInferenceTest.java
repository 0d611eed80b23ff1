package dev.mlpipe.model;

import static dev.mlpipe.support.Api.data;
import static dev.mlpipe.support.Api.results;
import static dev.mlpipe.support.Api.start;
import static dev.mlpipe.support.Api.stream;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Inferences;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SmallSettings;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** A model's slots as its runs see them: on {@link SmallSettings#SLOTTED}, four slots and batches of one. */
@QuarkusTest
@TestProfile(SmallSettings.class)
class ConcurrentInferenceTest {

    @Test
    void fourSlotsRunFourInferencesAtOnceYetTheStreamStaysInLoadOrder() {
        List<SseClient.Event> results = results(stream(start(
                RunSpecs.spec().model(SmallSettings.SLOTTED).items(1, 40).noSentinel().inferenceMs(30).json())));
        List<JsonPath> data = results.stream().map(e -> data(e)).toList();

        assertThat(results).extracting(SseClient.Event::id)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 40).boxed().toList());
        assertThat(Inferences.peakOverlap(data)).as("inferences in flight at once: every slot, and no more")
                .isEqualTo(SmallSettings.SLOTS);
    }
}
