package dev.mlpipe.serve;

import static dev.mlpipe.serve.V2Requests.DIGITS_ROWS;
import static dev.mlpipe.serve.V2Requests.assertGolden;
import static dev.mlpipe.serve.V2Requests.digitsRows;
import static dev.mlpipe.serve.V2Requests.error;
import static dev.mlpipe.serve.V2Requests.golden;
import static dev.mlpipe.serve.V2Requests.infer;
import static dev.mlpipe.serve.V2Requests.name;
import static dev.mlpipe.serve.V2Requests.oneRow;
import static dev.mlpipe.serve.V2Requests.requests;
import static dev.mlpipe.serve.V2Requests.sum;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Api;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.V2Settings;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * How v2 requests' rows go through a model's bounded queue and batcher: large requests in batches, concurrent ones in
 * one batch, a full queue, timeouts, priorities, a client that leaves; on models {@link V2Settings} sets up for each.
 * Not run against the jar: this is the model stage's own logic, the same classes in it, where {@code V2ServerIT} and
 * {@code TritonClientIT} show the protocol and the shipped model in the packaged service.
 */
@QuarkusTest
@TestProfile(V2Settings.class)
class V2QueueingTest {

    /** A thread each for requests that wait together. */
    private static final ExecutorService CLIENTS = Executors.newCachedThreadPool();

    @Test
    void everyDigitGetsItsGoldenOutputOverJson() throws IOException {
        List<float[]> rows = digitsRows();
        List<String[]> golden = golden();
        String input = name("digits", "inputs");
        for (int from = 0; from < DIGITS_ROWS; from += 250) {
            int to = Math.min(DIGITS_ROWS, from + 250);
            String data = IntStream.range(from, to).mapToObj(r -> floats(rows.get(r))).collect(Collectors.joining(","));
            JsonPath answer = infer("digits", "{\"inputs\": [{\"name\": \"" + input + "\", \"shape\": [" + (to - from)
                    + ", 64], \"datatype\": \"FP32\", \"data\": [" + data + "]}]}").then().statusCode(200)
                    .extract().jsonPath();
            assertThat(answer.getList("outputs[0].shape", Integer.class)).containsExactly(to - from, 10);
            List<Float> outputs = answer.getList("outputs[0].data", Float.class);
            for (int r = from; r < to; r++) {
                assertGolden(golden.get(r), outputs.subList((r - from) * 10, (r - from) * 10 + 10), r);
            }
        }
    }

    @Test
    void rowsOfConcurrentRequestsRunAsOneBatch() {
        double batchesBefore = batches();
        List<CompletableFuture<Response>> answers = async("batcher", 10, 60);

        for (CompletableFuture<Response> answer : answers) {
            assertThat(answer.join().statusCode()).isEqualTo(200);
            assertThat(answer.join().jsonPath().getList("outputs[0].data")).containsExactly("high");
        }
        assertThat(batches() - batchesBefore).as("ten one-row requests, one batch").isEqualTo(1);
    }

    @Test
    void underTheRejectPolicyARequestThatDoesNotFitIs503AtOnce() {
        String holder = hold("tiny", 3); // one in inference, two filling the queue
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> depth("tiny") == 2);
            double full = requests("tiny", "full");

            Response refused = infer("tiny", oneRow(7, ""));
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(refused.jsonPath().getString("error")).contains("no room");
            assertThat(requests("tiny", "full")).isEqualTo(full + 1);
            assertThat(depth("tiny")).as("nothing of it stayed").isEqualTo(2);
        } finally {
            cancel(holder);
        }
    }

    @Test
    void aRequestPastItsTimeoutIsAnsweredAndItsRowsLeaveTheQueue() {
        String holder = hold("held", 2); // one in inference, one queued
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> depth("held") == 1);
            double timedOut = requests("held", "timeout");

            Response late = infer("held", oneRow(60, "\"parameters\": {\"timeout\": 100000}, "));
            assertThat(late.statusCode()).isEqualTo(503);
            assertThat(late.jsonPath().getString("error")).contains("timeout");
            assertThat(depth("held")).as("its row is no longer queued").isEqualTo(1);
            assertThat(requests("held", "timeout")).isEqualTo(timedOut + 1);
        } finally {
            cancel(holder);
        }
    }

    @Test
    void aRowOfPriorityOneWaitsAtTheFrontOfTheQueue() {
        String holder = hold("held3", 2); // one in inference, one queued at the default priority, 3
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> depth("held3") == 1);
            CompletableFuture<Response> urgent = CompletableFuture.supplyAsync(() -> infer("held3",
                    oneRow(60, "\"parameters\": {\"priority\": 1, \"timeout\": 60000000}, ")), CLIENTS);

            await().atMost(Duration.ofSeconds(30)).until(() -> depth("held3") == 2);
            assertThat(given().get("/api/runs/" + holder).then().extract().jsonPath()
                    .getList("queue.depthByPriority", Integer.class)).as("by priority, 1 first")
                    .containsExactly(1, 0, 1, 0, 0);
            assertThat(urgent).as("it waits behind the held inference").isNotDone();
        } finally {
            cancel(holder);
        }
    }

    @Test
    void aClientThatGoesAwayTakesItsRowsOutOfTheQueue() throws IOException {
        String holder = hold("held2", 2);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> depth("held2") == 1);
            double cancelled = requests("held2", "cancelled");
            try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
                byte[] body = oneRow(60, "").getBytes(StandardCharsets.UTF_8);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v2/models/held2/infer HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                await().atMost(Duration.ofSeconds(30)).until(() -> depth("held2") == 2);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> depth("held2") == 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> requests("held2", "cancelled") == cancelled + 1);
        } finally {
            cancel(holder);
        }
    }

    @Test
    void aRequestWithMoreRowsThanTheQueueHoldsIs400() {
        assertThat(error("POST", "/v2/models/tiny/infer", """
                {"inputs": [{"name": "value", "shape": [3, 1], "datatype": "INT64", "data": [1, 2, 3]}]}
                """, 400)).contains("queues at most 2");
    }

    private static List<CompletableFuture<Response>> async(String model, int requests, int value) {
        List<CompletableFuture<Response>> answers = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            answers.add(CompletableFuture.supplyAsync(() -> infer(model, oneRow(value, "")), CLIENTS));
        }
        return answers;
    }

    /** A run that keeps {@code model} busy: its first item in a minute-long inference, the rest queued behind it. */
    private static String hold(String model, int items) {
        return given().contentType("application/json").body(RunSpecs.spec().model(model).items(1, items)
                .noSentinel().inferenceMs(60_000).json()).post("/api/runs").then().statusCode(201).extract()
                .path("id");
    }

    private static void cancel(String run) {
        given().delete("/api/runs/" + run).then().statusCode(200);
    }

    private static int depth(String model) {
        return Api.model(model).getInt("depth");
    }

    /** Batches every model has run: the sum of the batch-size histogram's counts. */
    private static double batches() {
        return sum("^mlpipe_batch_size_count(\\{[^}]*\\})? ([0-9.eE+-]+)$");
    }

    private static String floats(float[] row) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            out.append(i == 0 ? "" : ",").append(row[i]);
        }
        return out.toString();
    }
}
