package dev.mlpipe.v2;

import static dev.mlpipe.v2.V2CodecTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a body is refused, each with the message that goes into {@code {"error": ...}}: it names the input, the
 * field and the rule, so that the client can mend the body from it alone.
 */
class RefusalsTest {

    private static final Limits SMALL = new Limits(4096, 100, 8, 3);
    private final V2Codec codec = new V2Codec(SMALL);

    static Stream<Arguments> jsonBodies() {
        return Stream.of(
                // the shape and the data
                refused(input("\"shape\":[2,2],\"datatype\":\"FP32\",\"data\":[1,2,3]"),
                        "input 'x': shape [2, 2] holds 4 elements, 'data' has 3"),
                refused(input("\"shape\":[2],\"datatype\":\"FP32\",\"data\":[[1,2],[3]]"),
                        "input 'x': 'data' has more than the 2 elements of shape [2]"),
                refused(input("\"shape\":[2],\"datatype\":\"FP32\",\"data\":5"), "input 'x': 'data' must be an array"),
                refused(input("\"shape\":[-1,2],\"datatype\":\"FP32\",\"data\":[1,2]"),
                        "input 'x': dimension 0 of 'shape', -1, must be from 0 to 9223372036854775807"),
                refused(input("\"shape\":[1.5],\"datatype\":\"FP32\",\"data\":[1]"),
                        "input 'x': 'shape' must be an array of integers, not with 1.5"),
                refused(input("\"shape\":2,\"datatype\":\"FP32\",\"data\":[1,2]"),
                        "input 'x': 'shape' must be an array of integers"),
                refused(input("\"shape\":[1,1,1,1,1,1,1,1,1],\"datatype\":\"FP32\",\"data\":[1]"),
                        "input 'x': 'shape' has more than 8 dimensions"),
                refused(input("\"shape\":[4294967296,4294967296],\"datatype\":\"INT8\",\"data\":[]"),
                        "input 'x': shape [4294967296, 4294967296] holds more than 2^63 elements; the tensors of a body "
                                + "may hold at most 100 together"),
                refused(input("\"shape\":[101],\"datatype\":\"INT8\",\"data\":[]"),
                        "input 'x': shape [101] holds 101 elements; the tensors of a body may hold at most 100 together"),
                refused("{\"inputs\":[{\"name\":\"a\",\"shape\":[60],\"datatype\":\"INT8\",\"data\":["
                        + "0,".repeat(59) + "0]},{\"name\":\"b\",\"shape\":[41],\"datatype\":\"BOOL\",\"data\":[]}]}",
                        "input 'b': shape [41] holds 41 elements; the tensors of a body may hold at most 100 together"),
                refused(input("\"shape\":[90],\"datatype\":\"INT8\",\"data\":[1]"),
                        "input 'x': shape [90] holds 90 elements, more than the 6 bytes left for its 'data' can carry"),
                // the datatype and the elements
                refused(input("\"shape\":[1],\"datatype\":\"FLOAT32\",\"data\":[1]"),
                        "input 'x': unknown datatype 'FLOAT32' (one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, "
                                + "INT32, INT64, FP16, FP32, FP64, BYTES)"),
                refused(input("\"shape\":[1],\"datatype\":\"fp32\",\"data\":[1]"),
                        "input 'x': unknown datatype 'fp32' (one of BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, "
                                + "INT32, INT64, FP16, FP32, FP64, BYTES)"),
                refused(input("\"shape\":[2],\"datatype\":\"INT64\",\"data\":[1,1.5]"),
                        "input 'x': element 1 of 'data' must be an integer, not 1.5"),
                refused(input("\"shape\":[1],\"datatype\":\"INT64\",\"data\":[9223372036854775808]"),
                        "input 'x': element 0 of 'data', 9223372036854775808, is outside -9223372036854775808..9223372036854775807"),
                refused(input("\"shape\":[1],\"datatype\":\"INT8\",\"data\":[128]"),
                        "input 'x': element 0 of 'data', 128, is outside -128..127"),
                refused(input("\"shape\":[1],\"datatype\":\"UINT8\",\"data\":[-1]"),
                        "input 'x': element 0 of 'data', -1, is outside 0..255"),
                refused(input("\"shape\":[1],\"datatype\":\"UINT32\",\"data\":[4294967296]"),
                        "input 'x': element 0 of 'data', 4294967296, is outside 0..4294967295"),
                refused(input("\"shape\":[1],\"datatype\":\"UINT64\",\"data\":[18446744073709551616]"),
                        "input 'x': element 0 of 'data', 18446744073709551616, is outside 0..18446744073709551615"),
                refused(input("\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1e39]"),
                        "input 'x': element 0 of 'data', 1e39, is beyond the range of FP32"),
                refused(input("\"shape\":[1],\"datatype\":\"FP64\",\"data\":[1e309]"),
                        "input 'x': element 0 of 'data', 1e309, is beyond the range of FP64"),
                refused(input("\"shape\":[1],\"datatype\":\"FP16\",\"data\":[65520]"),
                        "input 'x': element 0 of 'data', 65520, is beyond the range of FP16 (65504)"),
                refused(input("\"shape\":[1],\"datatype\":\"FP32\",\"data\":[\"1.0\"]"),
                        "input 'x': element 0 of 'data' must be a number, not \"1.0\""),
                refused(input("\"shape\":[1],\"datatype\":\"FP32\",\"data\":[{\"v\":1}]"),
                        "input 'x': element 0 of 'data' must be a number, not an object"),
                refused(input("\"shape\":[1],\"datatype\":\"BOOL\",\"data\":[1]"),
                        "input 'x': element 0 of 'data' must be true or false, not 1"),
                refused(input("\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[7]"),
                        "input 'x': element 0 of 'data' must be a string, not 7"),
                refused(input("\"shape\":[1],\"datatype\":\"INT32\",\"data\":[null]"),
                        "input 'x': element 0 of 'data' must be an integer, not null"),
                // the tensor's fields
                refused("{\"inputs\":[{\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}", "input 0 has no 'name'"),
                refused(input("\"shape\":[1],\"data\":[1]"), "input 'x' has no 'datatype'"),
                refused(input("\"datatype\":\"FP32\",\"data\":[1]"), "input 'x' has no 'shape'"),
                refused(input("\"shape\":[1],\"datatype\":\"FP32\""), "input 'x' has neither 'data' nor parameters.binary_data_size"),
                refused(input("\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1],\"parameters\":{\"binary_data_size\":4}"),
                        "input 'x' has both 'data' and parameters.binary_data_size: one or the other"),
                refused(input("\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1],\"parameters\":{\"binary_data_size\":\"4\"}"),
                        "input 'x': parameter 'binary_data_size' must be an integer, not \"4\""),
                refused(input("\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1],\"parameters\":[1]"),
                        "input 'x': 'parameters' must be an object"),
                refused(input("\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1],\"parameters\":{\"p\":{\"q\":1}}"),
                        "input 'x': parameter 'p' must be a string, a number or a boolean"),
                refused(input("\"name\":7,\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]").replace("\"name\":\"x\",", ""),
                        "input 0's 'name' must be a string"),
                refused("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]},"
                        + "{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[2]}]}", "input 'x' is given twice"),
                refused("{\"inputs\":[{\"name\":\"x\",\"name\":\"y\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1]}]}",
                        "the body is not valid JSON: Duplicate field 'name' (line 1, column 30)"),
                // the request
                refused("{\"id\":\"1\"}", "the request has no 'inputs'"),
                refused("{\"inputs\":{}}", "'inputs' must be an array"),
                refused("{\"inputs\":[1]}", "input 0 must be an object"),
                refused("{\"inputs\":[],\"id\":42}", "the request's 'id' must be a string"),
                refused("{\"inputs\":[],\"outputs\":{}}", "'outputs' must be an array"),
                refused("{\"inputs\":[],\"outputs\":[\"y\"]}", "requested output 0 must be an object"),
                refused("{\"inputs\":[],\"outputs\":[{\"parameters\":{}}]}", "requested output 0 has no 'name'"),
                refused("{\"inputs\":[],\"outputs\":[{\"name\":\"y\",\"parameters\":{\"binary_data\":1}}]}",
                        "output 'y': parameter 'binary_data' must be a boolean, not 1"),
                refused("{\"inputs\":[],\"parameters\":{\"binary_data_output\":\"yes\"}}",
                        "the request: parameter 'binary_data_output' must be a boolean, not \"yes\""),
                refused("{\"inputs\":[" + String.join(",", Stream.of("a", "b", "c", "d")
                        .map(name -> "{\"name\":\"" + name + "\",\"shape\":[0],\"datatype\":\"BOOL\",\"data\":[]}")
                        .toList()) + "]}", "'inputs' has more than 3 tensors, the most mlpipe reads"),
                refused("{\"inputs\":[],\"outputs\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\"},{\"name\":\"d\"}]}",
                        "'outputs' asks for more than 3 outputs, the most mlpipe reads"),
                // the JSON
                refused("", "the body is empty: it must be a JSON object"),
                refused("[]", "the body must be a JSON object"),
                refused("{\"inputs\":[]} {}", "the body has more after its JSON object"),
                refused("{\"inputs\":[]} x", "the body is not valid JSON: Unrecognized token 'x': was expecting (JSON String, "
                        + "Number (or 'NaN'/'+INF'/'-INF'), Array, Object or token 'null', 'true' or 'false') (line 1, column 15)"),
                refused("{\"inputs\":[{\"name\":\"x\",\"shape\":[2],\"datatype\":\"FP32\",\"data\":[1,",
                        "the body is not valid JSON: Unexpected end-of-input within/between Array entries (line 1, column 64)"),
                refused("{\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"FP32\",\"data\":[[[[[[1]]]]]]}]}",
                        "the body's JSON nests deeper than 8 levels"),
                refused(input("\"shape\":[1],\"datatype\":\"INT64\",\"data\":[" + "1".repeat(1001) + "]"),
                        "the body's JSON is beyond a bound: Number value length (1001) exceeds the maximum allowed (1000)"),
                refused("{\"inputs\":[]" + " ".repeat(4096), 413,
                        "the body has 4108 bytes, more than the 4096 mlpipe reads"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jsonBodies")
    void aJsonBodyIsRefusedSayingWhy(String body, int status, String message) {
        assertThatThrownBy(() -> codec.readRequest(bytes(body), null)).isInstanceOf(V2Refused.class).hasMessage(message)
                .extracting(refusal -> ((V2Refused) refusal).status()).isEqualTo(status);
    }

    static Stream<Arguments> binaryBodies() {
        String int64 = "{\"inputs\":[{\"name\":\"v\",\"shape\":[2],\"datatype\":\"INT64\",\"parameters\":{\"binary_data_size\":%d}}]}";
        String strings = "{\"inputs\":[{\"name\":\"s\",\"shape\":[%d],\"datatype\":\"BYTES\",\"parameters\":{\"binary_data_size\":%d}}]}";
        return Stream.of(
                binary(int64.formatted(15), new byte[16], "input 'v': binary_data_size 15 is not the 16 bytes of 2 INT64 "
                        + "elements (shape [2])"),
                binary(int64.formatted(-16), new byte[16], "input 'v': binary_data_size must not be negative, not -16"),
                binary(int64.formatted(16), new byte[10], "input 'v': binary_data_size 16 goes beyond the end of the body, "
                        + "which has 10 bytes left"),
                binary(int64.formatted(16), new byte[20], "the body has 4 bytes after its JSON header that no "
                        + "binary_data_size accounts for"),
                binary(int64.formatted(16), new byte[0], "input 'v': binary_data_size 16 goes beyond the end of the body, "
                        + "which has 0 bytes left"),
                binary(strings.formatted(3, 9), new byte[9], "input 's': binary_data_size 9 cannot hold the 3 BYTES "
                        + "elements of shape [3] (each is a 4-byte length and its bytes)"),
                binary(strings.formatted(1, 9), lengthThen(9, 9), "input 's': BYTES element 0 says it has 9 bytes, beyond "
                        + "the 5 left of its binary_data_size 9"),
                binary(strings.formatted(1, 9), lengthThen(-1, 9), "input 's': BYTES element 0 says it has 4294967295 "
                        + "bytes, beyond the 5 left of its binary_data_size 9"),
                binary(strings.formatted(1, 9), lengthThen(2, 9), "input 's': binary_data_size 9 has 3 bytes more than "
                        + "its 1 BYTES elements (shape [1])"),
                binary(strings.formatted(2, 10), lengthThen(3, 10), "input 's': binary_data_size 10 ends inside BYTES "
                        + "element 1's length (shape [2] holds 2)"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("binaryBodies")
    void aBinaryBodyIsRefusedSayingWhy(String header, byte[] tensors, String message) {
        byte[] body = SpecExamplesTest.concat(bytes(header), tensors);

        assertThatThrownBy(() -> codec.readRequest(body, String.valueOf(bytes(header).length)))
                .isInstanceOf(V2Refused.class).hasMessage(message);
    }

    @Test
    void theHeaderLengthMustBeANumberWithinTheBody() {
        byte[] body = bytes("{\"inputs\":[]}");

        assertThatThrownBy(() -> codec.readRequest(body, "14")).hasMessage(
                "Inference-Header-Content-Length 14 is beyond the end of the body, which has 13 bytes");
        assertThatThrownBy(() -> codec.readRequest(body, "-1")).hasMessage(
                "Inference-Header-Content-Length must not be negative, not -1");
        assertThatThrownBy(() -> codec.readRequest(body, "13 bytes")).hasMessage(
                "Inference-Header-Content-Length must be a whole number of bytes, not '13 bytes'");
        assertThatThrownBy(() -> codec.readRequest(body, "99999999999999999999")).hasMessage(
                "Inference-Header-Content-Length must be a whole number of bytes, not '99999999999999999999'");
        assertThatThrownBy(() -> codec.readRequest(body, "12")).as("the header cut short of the JSON's end")
                .hasMessageStartingWith("the body is not valid JSON: Unexpected end-of-input");
        assertThat(codec.readRequest(body, "13").inputs()).isEmpty();
    }

    @Test
    void aBinaryTensorInABodyWithoutTheHeaderIsRefusedNamingTheHeader() {
        byte[] body = bytes("{\"inputs\":[{\"name\":\"v\",\"shape\":[1],\"datatype\":\"INT8\","
                + "\"parameters\":{\"binary_data_size\":1}}]}");

        assertThatThrownBy(() -> codec.readRequest(body, null)).hasMessage("input 'v': binary_data_size is given but the "
                + "request has no Inference-Header-Content-Length header to say where its JSON ends and the binary data begins");
    }

    @Test
    void aBodyInUtf16OrUtf32IsRefusedThoughJacksonWouldReadIt() {
        for (String charset : new String[] { "UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32BE", "UTF-32LE" }) {
            byte[] body = "{\"inputs\":[]}".getBytes(java.nio.charset.Charset.forName(charset));

            assertThatThrownBy(() -> codec.readRequest(body, null)).as(charset).isInstanceOf(V2Refused.class)
                    .hasMessage("the body must be JSON in UTF-8; its first bytes are UTF-16's or UTF-32's");
        }
    }

    @Test
    void aNameOrValueInAMessageIsCutShort() {
        String name = "n".repeat(1000);

        assertThatThrownBy(() -> codec.readRequest(bytes(input("\"shape\":[1],\"datatype\":\"FP32\",\"data\":[1,2]")
                .replace("\"x\"", "\"" + name + "\"")), null))
                .hasMessage("input '" + "n".repeat(80) + "...': 'data' has more than the 1 elements of shape [1]");
    }

    @Test
    void aResponseWithoutOutputsIsRefused() {
        assertThatThrownBy(() -> codec.readResponse(bytes("{\"model_name\":\"m\"}"), null))
                .hasMessage("the response has no 'outputs'");
    }

    @Test
    void metadataThatIsNotTheProtocolsIsRefusedSayingWhatIsMissing() {
        assertThatThrownBy(() -> codec.readModelMetadata(bytes("{\"name\":\"m\",\"inputs\":[]}")))
                .hasMessage("model metadata must have an array 'outputs'");
        assertThatThrownBy(() -> codec.readModelMetadata(bytes("{\"name\":\"m\",\"inputs\":[{\"name\":\"x\","
                + "\"datatype\":\"FP32\",\"shape\":[-2]}],\"outputs\":[]}")))
                .hasMessage("inputs 'x': 'shape' must hold integers, -1 for any size");
        assertThatThrownBy(() -> codec.readServerMetadata(bytes("<html>"))).hasMessageStartingWith(
                "server metadata is not valid JSON");
    }

    private static String input(String fields) {
        return "{\"inputs\":[{\"name\":\"x\"," + fields + "}]}";
    }

    private static Arguments refused(String body, String message) {
        return refused(body, 400, message);
    }

    private static Arguments refused(String body, int status, String message) {
        return Arguments.of(body, status, message);
    }

    private static Arguments binary(String header, byte[] tensors, String message) {
        return Arguments.of(header, tensors, message);
    }

    /** {@code total} bytes that start with a BYTES element's 4-byte little-endian {@code length}. */
    private static byte[] lengthThen(int length, int total) {
        return ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN).putInt(length).array();
    }
}
