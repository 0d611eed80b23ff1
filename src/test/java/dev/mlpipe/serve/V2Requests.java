package dev.mlpipe.serve;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.data.Offset;

import dev.mlpipe.support.Management;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Requests to the v2 server written by hand from the spec, and the digits dataset and golden file to check them by. */
final class V2Requests {

    static final int DIGITS_ROWS = 1797;

    private V2Requests() {
    }

    static Response infer(String model, String body) {
        return given().contentType("application/json").body(body).post("/v2/models/" + model + "/infer");
    }

    static String oneRow(int value, String parameters) {
        return "{" + parameters + "\"inputs\": [{\"name\": \"value\", \"shape\": [1, 1], \"datatype\": \"INT64\", "
                + "\"data\": [" + value + "]}]}";
    }

    /** The message of the error object a request is answered with, once its status and form are as the spec says. */
    static String error(String method, String path, String body, int status) {
        var request = given().contentType("application/json");
        if (body != null) {
            request.body(body);
        }
        JsonPath error = request.request(method, path).then().statusCode(status).contentType("application/json")
                .extract().jsonPath();
        assertThat(error.getMap("")).containsOnlyKeys("error");
        return error.getString("error");
    }

    /** The name of a model's first input or output ({@code side}), from its metadata. */
    static String name(String model, String side) {
        return given().get("/v2/models/" + model).then().extract().jsonPath().getString(side + "[0].name");
    }

    static double requests(String model, String outcome) {
        return sum("^mlpipe_v2_requests_total\\{(?=[^}]*model=\"" + model + "\")(?=[^}]*outcome=\"" + outcome
                + "\")[^}]*\\} ([0-9.eE+-]+)$");
    }

    /** The sum of every sample at /q/metrics that the regex matches, its last group the value. */
    static double sum(String regex) {
        String text = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(m.groupCount()));
        }
        return total;
    }

    static void assertGolden(String[] golden, List<Float> outputs, int row) {
        int best = 0;
        for (int c = 0; c < 10; c++) {
            assertThat(outputs.get(c)).as("row %d output %d", row, c)
                    .isCloseTo(Float.parseFloat(golden[1 + c]), Offset.offset(1e-5f));
            if (outputs.get(c) > outputs.get(best)) {
                best = c;
            }
        }
        assertThat(Integer.toString(best)).as("row %d prediction", row).isEqualTo(golden[11]);
    }

    static List<float[]> digitsRows() throws IOException {
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

    static List<String[]> golden() throws IOException {
        return lines("golden/digits.csv").subList(1, DIGITS_ROWS + 1).stream().map(l -> l.split(",")).toList();
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = V2Requests.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
