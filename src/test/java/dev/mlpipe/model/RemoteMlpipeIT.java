package dev.mlpipe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.ServiceProcess;
import dev.mlpipe.support.SseClient;
import io.restassured.path.json.JsonPath;

/**
 * mlpipe in front of another mlpipe, both the packaged jar: one serves {@code digits} over v2, the other has a model
 * of the v2 backend pointing at it, and runs the digits dataset through it in batches of up to 64 rows, binary both
 * ways. Every row's output and prediction are the golden file's.
 */
class RemoteMlpipeIT {

    private static final int DIGITS_ROWS = 1797;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyDigitThroughARemoteMlpipeGetsItsGoldenOutputInBatches() throws Exception {
        List<String> golden = lines("golden/digits.csv");
        try (ServiceProcess server = ServiceProcess.start("v2-server", "mlpipe.models.digits.max-batch-size=64",
                "mlpipe.models.digits.capacity=256").awaitReady();
                ServiceProcess client = ServiceProcess.start("v2-client", "mlpipe.models.remote.backend=v2",
                        "mlpipe.models.remote.url=" + server.base(), "mlpipe.models.remote.model=digits",
                        "mlpipe.models.remote.max-batch-size=64", "mlpipe.models.remote.capacity=256",
                        "mlpipe.models.remote.concurrency=2").awaitReady()) {
            JsonPath model = client.json("/api/models/remote");
            assertThat(model.getString("state")).isEqualTo("ready");
            assertThat(model.getList("inputs[0].shape", Integer.class)).containsExactly(-1, 64);

            String id = client.startRun(RunSpecs.spec().model("remote").dataset("digits", 1).json());
            int largest = 0;
            int results = 0;
            Set<Long> batches = new HashSet<>();
            try (SseClient stream = SseClient.connect(URI.create(client.base() + "/api/runs/" + id
                    + "/events?fields=row,prediction,outputs,batchSize,batchId"), Map.of())) {
                for (SseClient.Event event : stream.untilEnd(Duration.ofSeconds(60))) {
                    if (!event.type().equals("result")) {
                        continue;
                    }
                    results++;
                    JsonNode result = JSON.readTree(event.data());
                    int row = result.get("row").asInt();
                    String[] cells = golden.get(1 + row).split(",");
                    assertThat(result.get("prediction").asText()).as("row %d", row).isEqualTo(cells[11]);
                    for (int c = 0; c < 10; c++) {
                        assertThat(result.get("outputs").get(c).floatValue()).as("row %d output %d", row, c)
                                .isCloseTo(Float.parseFloat(cells[1 + c]), offset(1e-5f));
                    }
                    largest = Math.max(largest, result.get("batchSize").asInt());
                    batches.add(result.get("batchId").asLong());
                }
            }
            assertThat(results).isEqualTo(DIGITS_ROWS);
            assertThat(largest).as("rows went in batches").isGreaterThan(1).isLessThanOrEqualTo(64);
            JsonPath end = client.json("/api/runs/" + id);
            assertThat(end.getString("state")).isEqualTo("completed");
            assertThat(end.getLong("counts.processed")).isEqualTo(DIGITS_ROWS);
            String metrics = server.probe("/q/metrics").body();
            assertThat(metrics).as("one v2 request for each of the client's batches")
                    .containsPattern("mlpipe_v2_requests_total\\{[^}]*model=\"digits\"[^}]*outcome=\"answered\"[^}]*\\} "
                            + batches.size() + "\\.0\n");
        }
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = RemoteMlpipeIT.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
