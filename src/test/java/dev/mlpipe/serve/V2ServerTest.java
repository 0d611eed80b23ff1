package dev.mlpipe.serve;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.mlpipe.support.Management;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.V2Settings;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The Open Inference Protocol (v2) as a client sees it: bodies written by hand from the spec (inference_rest.md and
 * Triton's binary tensor data extension), not with mlpipe's codec.
 */
@QuarkusTest
@TestProfile(V2Settings.class)
class V2ServerTest {

    private static final int DIGITS_ROWS = 1797;
    /** A thread each for requests that wait together. */
    private static final ExecutorService CLIENTS = Executors.newCachedThreadPool();

    @Test
    void theServerSaysWhatItIsAndThatItIsLiveAndReady() {
        given().get("/v2").then().statusCode(200).contentType("application/json")
                .body("name", org.hamcrest.Matchers.equalTo("mlpipe"))
                .body("extensions", org.hamcrest.Matchers.hasItem("binary_tensor_data"));
        given().get("/v2/health/live").then().statusCode(200);
        given().get("/v2/health/ready").then().statusCode(200);
        given().get("/v2/models/digits/ready").then().statusCode(200);
        given().get("/v2/models/digits/versions/1/ready").then().statusCode(200);
    }

    @Test
    void eachModelsMetadataGivesItsTensorsWithMinusOneForTheBatch() {
        JsonPath digits = given().get("/v2/models/digits").then().statusCode(200).extract().jsonPath();
        assertThat(digits.getString("name")).isEqualTo("digits");
        assertThat(digits.getList("versions")).containsExactly("1");
        assertThat(digits.getString("platform")).isEqualTo("onnx_onnxv1");
        assertThat(digits.getString("inputs[0].datatype")).isEqualTo("FP32");
        assertThat(digits.getList("inputs[0].shape", Integer.class)).containsExactly(-1, 64);
        assertThat(digits.getString("outputs[0].datatype")).isEqualTo("FP32");
        assertThat(digits.getList("outputs[0].shape", Integer.class)).containsExactly(-1, 10);
        assertThat(given().get("/v2/models/digits/versions/1").then().statusCode(200).extract().jsonPath()
                .getString("inputs[0].name")).isEqualTo(digits.getString("inputs[0].name"));

        JsonPath simulated = given().get("/v2/models/simulated").then().statusCode(200).extract().jsonPath();
        assertThat(simulated.getList("inputs.name")).containsExactly("value");
        assertThat(simulated.getList("inputs[0].shape", Integer.class)).containsExactly(-1, 1);
        assertThat(simulated.getList("outputs.name")).containsExactly("prediction", "score");
        assertThat(simulated.getList("outputs.datatype")).containsExactly("BYTES", "FP32");
    }

    @Test
    void theSimulatedModelAnswersEachRowAsARunWould() {
        JsonPath answer = infer("simulated", """
                {"id": "r-1", "inputs": [{"name": "value", "shape": [3, 1], "datatype": "INT64", "data": [[5], [50], [90]]}]}
                """).then().statusCode(200).extract().jsonPath();
        assertThat(answer.getString("model_name")).isEqualTo("simulated");
        assertThat(answer.getString("model_version")).isEqualTo("1");
        assertThat(answer.getString("id")).isEqualTo("r-1");
        assertThat(answer.getList("outputs.name")).containsExactly("prediction", "score");
        assertThat(answer.getList("outputs[0].shape", Integer.class)).containsExactly(3, 1);
        assertThat(answer.getList("outputs[0].data")).containsExactly("low", "high", "high");
        assertThat(answer.getList("outputs[1].data", Float.class)).containsExactly(0.0110f, 0.5f, 0.982f);

        JsonPath scoreOnly = infer("simulated", """
                {"inputs": [{"name": "value", "shape": [1, 1], "datatype": "INT64", "data": [40]}],
                 "outputs": [{"name": "score"}]}
                """).then().statusCode(200).extract().jsonPath();
        assertThat(scoreOnly.getList("outputs.name")).containsExactly("score");
        assertThat(scoreOnly.getString("id")).isNull();
    }

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
    void binaryTensorsGoBothWays() throws IOException {
        List<float[]> rows = digitsRows();
        List<String[]> golden = golden();
        int n = 5;
        ByteBuffer tensor = ByteBuffer.allocate(n * 64 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < n; r++) {
            for (float v : rows.get(r)) {
                tensor.putFloat(v);
            }
        }
        byte[] header = ("{\"inputs\": [{\"name\": \"" + name("digits", "inputs") + "\", \"shape\": [" + n
                + ", 64], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": " + tensor.capacity()
                + "}}], \"parameters\": {\"binary_data_output\": true}}").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[header.length + tensor.capacity()];
        System.arraycopy(header, 0, body, 0, header.length);
        System.arraycopy(tensor.array(), 0, body, header.length, tensor.capacity());

        Response answer = given().header("Inference-Header-Content-Length", header.length)
                .contentType("application/octet-stream").body(body).post("/v2/models/digits/infer");
        assertThat(answer.statusCode()).isEqualTo(200);
        int headerLength = Integer.parseInt(answer.header("Inference-Header-Content-Length"));
        byte[] bytes = answer.asByteArray();
        JsonPath json = new JsonPath(new String(bytes, 0, headerLength, StandardCharsets.UTF_8));
        assertThat(json.getInt("outputs[0].parameters.binary_data_size")).isEqualTo(n * 10 * 4);
        assertThat(json.getList("outputs[0].shape", Integer.class)).containsExactly(n, 10);
        ByteBuffer outputs = ByteBuffer.wrap(bytes, headerLength, n * 10 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < n; r++) {
            List<Float> row = new ArrayList<>();
            for (int c = 0; c < 10; c++) {
                row.add(outputs.getFloat());
            }
            assertGolden(golden.get(r), row, r);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown model           | POST | /v2/models/nope/infer              | {"inputs": []}                                                                       | 404 | no model named 'nope'
            unknown version         | GET  | /v2/models/digits/versions/7       |                                                                                      | 404 | no version '7'
            unknown endpoint        | GET  | /v2/everything                     |                                                                                      | 404 | no such endpoint
            infer by GET            | GET  | /v2/models/simulated/infer         |                                                                                      | 405 | takes POST
            not JSON                | POST | /v2/models/simulated/infer         | {"inputs": [                                                                         | 400 | not valid JSON
            wrong datatype          | POST | /v2/models/simulated/infer         | {"inputs": [{"name": "value", "shape": [1, 1], "datatype": "FP32", "data": [1.5]}]}  | 400 | input 'value' is FP32
            wrong shape             | POST | /v2/models/simulated/infer         | {"inputs": [{"name": "value", "shape": [1, 2], "datatype": "INT64", "data": [1, 2]}]} | 400 | input 'value'
            missing input           | POST | /v2/models/simulated/infer         | {"inputs": []}                                                                       | 400 | needs input 'value'
            unknown output          | POST | /v2/models/simulated/infer         | {"inputs": [{"name": "value", "shape": [1, 1], "datatype": "INT64", "data": [1]}], "outputs": [{"name": "x"}]} | 400 | unknown output 'x'
            data count              | POST | /v2/models/simulated/infer         | {"inputs": [{"name": "value", "shape": [2, 1], "datatype": "INT64", "data": [1]}]}   | 400 | value
            value beyond int        | POST | /v2/models/simulated/infer         | {"inputs": [{"name": "value", "shape": [1, 1], "datatype": "INT64", "data": [9999999999]}]} | 400 | 32-bit integers
            priority out of range   | POST | /v2/models/simulated/infer         | {"parameters": {"priority": 9}, "inputs": [{"name": "value", "shape": [1, 1], "datatype": "INT64", "data": [1]}]} | 400 | parameter 'priority' is 9
            negative timeout        | POST | /v2/models/simulated/infer         | {"parameters": {"timeout": -5}, "inputs": [{"name": "value", "shape": [1, 1], "datatype": "INT64", "data": [1]}]} | 400 | parameter 'timeout' is -5
            more rows than capacity | POST | /v2/models/tiny/infer              | {"inputs": [{"name": "value", "shape": [3, 1], "datatype": "INT64", "data": [1, 2, 3]}]} | 400 | queues at most 2
            """)
    void badRequestsGetTheStatusTheSpecGivesAndAnErrorObject(String what, String method, String path, String body,
            int status, String says) {
        var request = given().contentType("application/json");
        if (body != null) {
            request.body(body);
        }
        JsonPath error = request.request(method, path).then().statusCode(status).contentType("application/json")
                .extract().jsonPath();
        assertThat(error.getMap("")).containsOnlyKeys("error");
        assertThat(error.getString("error")).contains(says);
    }

    @Test
    void aBodyOfAnotherTypeIs415WithAnErrorObject() {
        JsonPath error = given().contentType("text/plain").body("{}").post("/v2/models/simulated/infer").then()
                .statusCode(415).contentType("application/json").extract().jsonPath();
        assertThat(error.getString("error")).contains("application/json");
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
    void eachModelShowsItsV2TrafficInTheModelsList() {
        long before = given().get("/api/models/simulated").then().extract().jsonPath().getLong("v2.requests");
        for (int i = 0; i < 3; i++) {
            infer("simulated", oneRow(i, "")).then().statusCode(200);
        }
        assertThat(given().get("/api/models/simulated").then().extract().jsonPath().getLong("v2.requests"))
                .isEqualTo(before + 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/models/simulated").then().extract()
                .jsonPath().get("v2.p99Ms") != null);
        assertThat(given().get("/api/models").then().extract().jsonPath().getDouble(
                "find { it.name == 'simulated' }.v2.requestsPerSecond")).isPositive();
    }

    @Test
    void requestsAreCountedByModelAndOutcome() {
        double answered = requests("simulated", "answered");
        double unknown = requests("unknown", "unknown-model");
        infer("simulated", oneRow(1, "")).then().statusCode(200);
        infer("no-such-model", oneRow(1, "")).then().statusCode(404);
        assertThat(requests("simulated", "answered")).isEqualTo(answered + 1);
        assertThat(requests("unknown", "unknown-model")).isEqualTo(unknown + 1);
    }

    private static String oneRow(int value, String parameters) {
        return "{" + parameters + "\"inputs\": [{\"name\": \"value\", \"shape\": [1, 1], \"datatype\": \"INT64\", "
                + "\"data\": [" + value + "]}]}";
    }

    private static Response infer(String model, String body) {
        return given().contentType("application/json").body(body).post("/v2/models/" + model + "/infer");
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
        return given().get("/api/models/" + model).then().statusCode(200).extract().jsonPath().getInt("depth");
    }

    private static String name(String model, String side) {
        return given().get("/v2/models/" + model).then().extract().jsonPath().getString(side + "[0].name");
    }

    /** Batches every model has run: the sum of the batch-size histogram's counts. */
    private static double batches() {
        return sum("^mlpipe_batch_size_count(\\{[^}]*\\})? ([0-9.eE+-]+)$");
    }

    private static double requests(String model, String outcome) {
        return sum("^mlpipe_v2_requests_total\\{(?=[^}]*model=\"" + model + "\")(?=[^}]*outcome=\"" + outcome
                + "\")[^}]*\\} ([0-9.eE+-]+)$");
    }

    private static double sum(String regex) {
        String text = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(m.groupCount()));
        }
        return total;
    }

    private static void assertGolden(String[] golden, List<Float> outputs, int row) {
        int best = 0;
        for (int c = 0; c < 10; c++) {
            assertThat(outputs.get(c)).as("row %d output %d", row, c)
                    .isCloseTo(Float.parseFloat(golden[1 + c]), org.assertj.core.data.Offset.offset(1e-5f));
            if (outputs.get(c) > outputs.get(best)) {
                best = c;
            }
        }
        assertThat(Integer.toString(best)).as("row %d prediction", row).isEqualTo(golden[11]);
    }

    private static String floats(float[] row) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            out.append(i == 0 ? "" : ",").append(row[i]);
        }
        return out.toString();
    }

    private static List<float[]> digitsRows() throws IOException {
        List<float[]> rows = new ArrayList<>();
        for (String line : lines("datasets/digits.csv").subList(1, DIGITS_ROWS + 1)) {
            String[] cells = line.split(",");
            float[] row = new float[64];
            for (int i = 0; i < 64; i++) {
                row[i] = Float.parseFloat(cells[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    private static List<String[]> golden() throws IOException {
        return lines("golden/digits.csv").subList(1, DIGITS_ROWS + 1).stream().map(l -> l.split(",")).toList();
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = V2ServerTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
