package dev.mlpipe.serve;

import static dev.mlpipe.serve.V2Requests.assertGolden;
import static dev.mlpipe.serve.V2Requests.digitsRows;
import static dev.mlpipe.serve.V2Requests.error;
import static dev.mlpipe.serve.V2Requests.golden;
import static dev.mlpipe.serve.V2Requests.infer;
import static dev.mlpipe.serve.V2Requests.name;
import static dev.mlpipe.serve.V2Requests.oneRow;
import static dev.mlpipe.serve.V2Requests.requests;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.mlpipe.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * The Open Inference Protocol (v2) as a client sees it: bodies written by hand from the spec (inference_rest.md and
 * Triton's binary tensor data extension), not with mlpipe's codec; the models as shipped, so that {@code V2ServerIT}
 * runs these on the default profile's jar. How requests share a model's queue and batches, on models set up for it, is
 * {@link V2QueueingTest}'s.
 */
@QuarkusTest
class V2ServerTest {

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
            """)
    void badRequestsGetTheStatusTheSpecGivesAndAnErrorObject(String what, String method, String path, String body,
            int status, String says) {
        assertThat(error(method, path, body, status)).contains(says);
    }

    @Test
    void aBodyOfAnotherTypeIs415WithAnErrorObject() {
        JsonPath error = given().contentType("text/plain").body("{}").post("/v2/models/simulated/infer").then()
                .statusCode(415).contentType("application/json").extract().jsonPath();
        assertThat(error.getString("error")).contains("application/json");
    }

    @Test
    void eachModelShowsItsV2TrafficInTheModelsList() {
        long before = given().get("/api/models/simulated").then().extract().jsonPath().getLong("v2.requests");
        for (int i = 0; i < 3; i++) {
            infer("simulated", oneRow(i, "")).then().statusCode(200);
        }
        assertThat(given().get("/api/models/simulated").then().extract().jsonPath().getLong("v2.requests"))
                .isEqualTo(before + 3);
        await().atMost(Duration.ofSeconds(30)).until(() -> Api.model("simulated").get("v2.p99Ms") != null);
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
}
