package dev.mlpipe.v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Bodies read and written as a v2 server and a v2 client see them: each datatype, both encodings, any field order. */
class V2CodecTest {

    private final V2Codec codec = new V2Codec();

    static Stream<Tensor> oneTensorOfEachDatatype() {
        return Stream.of(
                Tensor.bools("bool", new long[] { 2, 2 }, true, false, false, true),
                new Tensor("uint8", Datatype.UINT8, new long[] { 3 }, new TensorData.Int8s(new byte[] { 0, 127, (byte) 255 })),
                new Tensor("uint16", Datatype.UINT16, new long[] { 2 }, new TensorData.Int16s(new short[] { 1, (short) 65535 })),
                new Tensor("uint32", Datatype.UINT32, new long[] { 2 }, new TensorData.Int32s(new int[] { 7, -1 })),
                new Tensor("uint64", Datatype.UINT64, new long[] { 3 }, new TensorData.Int64s(new long[] { 0, Long.MAX_VALUE, -1 })),
                new Tensor("int8", Datatype.INT8, new long[] { 2 }, new TensorData.Int8s(new byte[] { -128, 127 })),
                new Tensor("int16", Datatype.INT16, new long[] { 2 }, new TensorData.Int16s(new short[] { -32768, 32767 })),
                Tensor.int32("int32", new long[] { 1, 3 }, Integer.MIN_VALUE, 0, Integer.MAX_VALUE),
                Tensor.int64("int64", new long[] { 3, 1 }, Long.MIN_VALUE, 42, Long.MAX_VALUE),
                new Tensor("fp16", Datatype.FP16, new long[] { 4 },
                        new TensorData.Int16s(new short[] { 0x3c00, (short) 0xc000, 0x7bff, 0x0001 })), // 1, -2, 65504, 2^-24
                Tensor.fp32("fp32", new long[] { 2, 3 }, 0.1f, -1.5f, Float.MIN_VALUE, Float.MAX_VALUE, 1e-7f, 3.4028234e38f),
                Tensor.fp64("fp64", new long[] { 3 }, 0.1, -Double.MAX_VALUE, Double.MIN_VALUE),
                Tensor.strings("bytes", new long[] { 1, 3 }, "", "digit \"7\"", "héllo ☃"),
                Tensor.fp32("empty", new long[] { 0, 64 }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneTensorOfEachDatatype")
    void everyDatatypeIsReadAsItWasWrittenInJson(Tensor tensor) {
        InferRequest request = new InferRequest(List.of(tensor));

        EncodedBody json = codec.writeRequest(request, name -> false);

        assertThat(json.hasBinary()).isFalse();
        assertThat(codec.readRequest(json.bytes(), null)).isEqualTo(request);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneTensorOfEachDatatype")
    void everyDatatypeIsReadAsItWasWrittenInBinary(Tensor tensor) {
        InferRequest request = new InferRequest(List.of(tensor));

        EncodedBody binary = codec.writeRequest(request, name -> true);

        assertThat(binary.hasBinary()).isTrue();
        assertThat(binary.bytes().length - binary.headerLength())
                .isEqualTo(tensor.datatype() == Datatype.BYTES ? 3 * 4 + 0 + 9 + 10 : tensor.data().length() * tensor.datatype().byteSize());
        assertThat(codec.readRequest(binary.bytes(), String.valueOf(binary.headerLength()))).isEqualTo(request);
    }

    @Test
    void unsignedIntegersAreWrittenAsTheirUnsignedValues() {
        InferResponse response = new InferResponse("m", "1", null, null, List.of(
                new Tensor("a", Datatype.UINT8, new long[] { 1 }, new TensorData.Int8s(new byte[] { (byte) 255 })),
                new Tensor("b", Datatype.UINT16, new long[] { 1 }, new TensorData.Int16s(new short[] { (short) 65535 })),
                new Tensor("c", Datatype.UINT32, new long[] { 1 }, new TensorData.Int32s(new int[] { -1 })),
                new Tensor("d", Datatype.UINT64, new long[] { 1 }, new TensorData.Int64s(new long[] { -1 }))));

        String json = text(codec.writeResponse(response, name -> false).bytes());

        assertThat(json).contains("\"data\":[255]", "\"data\":[65535]", "\"data\":[4294967295]",
                "\"data\":[18446744073709551615]");
    }

    @Test
    void floatsAreWrittenAsTheShortestDecimalThatReadsBackTheSame() {
        String json = text(codec.writeResponse(new InferResponse("digits", "1", null, null,
                List.of(Tensor.fp32("p", new long[] { 1, 3 }, 0.1f, 0.99999535f, 1e-7f))), name -> false).bytes());

        assertThat(json).isEqualTo("{\"model_name\":\"digits\",\"model_version\":\"1\",\"outputs\":[{\"name\":\"p\","
                + "\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[0.1,0.99999535,1.0E-7]}]}");
    }

    @Test
    void nestedDataIsReadRowMajorAsTheFlatDataIs() {
        InferRequest nested = read("{\"inputs\":[{\"name\":\"x\",\"shape\":[2,2,2],\"datatype\":\"INT32\","
                + "\"data\":[[[1,2],[3,4]],[[5,6],[7,8]]]}]}");
        InferRequest flat = read("{\"inputs\":[{\"name\":\"x\",\"shape\":[2,2,2],\"datatype\":\"INT32\","
                + "\"data\":[1,2,3,4,5,6,7,8]}]}");

        assertThat(nested).isEqualTo(flat);
        assertThat(((TensorData.Int32s) nested.inputs().get(0).data()).values()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    }

    @Test
    void dataBeforeItsShapeAndDatatypeIsReadOnceTheyAreKnown() {
        InferRequest request = read("{\"outputs\":[{\"name\":\"y\"}],\"inputs\":[{\"data\":[ [1.5, 2] ,\n [3, 4e1] ],"
                + "\"name\":\"x\",\"parameters\":{\"note\":\"data first\"},\"shape\":[2,2],\"datatype\":\"FP64\"}]}");

        assertThat(request.inputs()).containsExactly(
                Tensor.fp64("x", new long[] { 2, 2 }, 1.5, 2, 3, 40).withParameters(Parameters.of("note", "data first")));
    }

    @Test
    void dataBeforeItsShapeIsFoundInABodyWithBinaryTensorsToo() {
        byte[] header = bytes("{\"inputs\":[{\"data\":[\"a\",\"bc\"],\"datatype\":\"BYTES\",\"name\":\"s\",\"shape\":[2]},"
                + "{\"name\":\"v\",\"datatype\":\"INT64\",\"shape\":[1],\"parameters\":{\"binary_data_size\":8}}]}");
        byte[] body = SpecExamplesTest.concat(header, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(-5).array());

        InferRequest request = codec.readRequest(body, " " + header.length + " ");

        assertThat(request.inputs()).containsExactly(Tensor.strings("s", new long[] { 2 }, "a", "bc"),
                Tensor.int64("v", new long[] { 1 }, -5));
    }

    @Test
    void aRequestMayMixBinaryAndJsonInputsAndTheyAreWrittenAsAsked() {
        List<Tensor> inputs = List.of(Tensor.fp32("image", new long[] { 1, 4 }, 0, 16, 8, 1.5f),
                Tensor.strings("labels", new long[] { 2 }, "seven", ""), Tensor.int64("ids", new long[] { 2 }, 3, 9),
                Tensor.bools("mask", new long[] { 2 }, true, false));
        InferRequest request = new InferRequest("r-1", Parameters.of("priority", 1L), inputs, List.of());

        EncodedBody mixed = codec.writeRequest(request, name -> name.equals("labels") || name.equals("mask"));

        String header = new String(mixed.bytes(), 0, mixed.headerLength(), StandardCharsets.UTF_8);
        assertThat(header).contains("\"name\":\"image\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[0.0,16.0,8.0,1.5]")
                .contains("\"name\":\"labels\",\"shape\":[2],\"datatype\":\"BYTES\",\"parameters\":{\"binary_data_size\":13}}")
                .contains("\"name\":\"mask\",\"shape\":[2],\"datatype\":\"BOOL\",\"parameters\":{\"binary_data_size\":2}}");
        byte[] tail = Arrays.copyOfRange(mixed.bytes(), mixed.headerLength(), mixed.bytes().length);
        assertThat(tail).as("each BYTES element a 4-byte little-endian length and its bytes, then the BOOLs")
                .containsExactly(5, 0, 0, 0, 's', 'e', 'v', 'e', 'n', 0, 0, 0, 0, 1, 0);
        assertThat(codec.readRequest(mixed.bytes(), String.valueOf(mixed.headerLength()))).isEqualTo(request);
    }

    @Test
    void nanAndInfinityAreReadBareOrQuotedAndWrittenBareAsPythonsJsonWritesThem() {
        InferRequest request = read("{\"inputs\":[{\"name\":\"x\",\"shape\":[6],\"datatype\":\"FP32\","
                + "\"data\":[NaN,Infinity,-Infinity,\"NaN\",\"Infinity\",\"-Infinity\"]}]}");

        float[] values = ((TensorData.Fp32s) request.inputs().get(0).data()).values();
        assertThat(values).containsExactly(Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY);
        assertThat(text(codec.writeRequest(request, name -> false).bytes()))
                .contains("\"data\":[NaN,Infinity,-Infinity,NaN,Infinity,-Infinity]");
    }

    @Test
    void anOutputsOwnBinaryDataOverridesTheRequestsBinaryDataOutput() {
        InferRequest request = read("{\"parameters\":{\"binary_data_output\":true},\"inputs\":[],\"outputs\":["
                + "{\"name\":\"a\"},{\"name\":\"b\",\"parameters\":{\"binary_data\":false}}]}");

        assertThat(request.wantsBinary("a")).isTrue();
        assertThat(request.wantsBinary("b")).isFalse();
        assertThat(request.wantsBinary("not listed")).as("every output, when none is listed").isTrue();
        assertThat(read("{\"inputs\":[]}").wantsBinary("a")).as("JSON by default").isFalse();
    }

    @Test
    void fieldsTheProtocolDoesNotDefineAreSkippedAndNullOptionalFieldsAreAbsent() {
        InferRequest request = read("{\"model_name\":\"mymodel\",\"id\":null,\"parameters\":null,\"outputs\":null,"
                + "\"extra\":{\"deep\":[{\"x\":[1,[2]]}]},\"inputs\":[{\"name\":\"x\",\"shape\":[1],\"datatype\":\"INT32\","
                + "\"contents\":{\"int_contents\":[9]},\"parameters\":{\"gone\":null,\"kept\":1.5},\"data\":[1]}]}");

        assertThat(request.id()).isNull();
        assertThat(request.parameters().isEmpty()).isTrue();
        assertThat(request.outputs()).isEmpty();
        assertThat(request.inputs()).containsExactly(
                Tensor.int32("x", new long[] { 1 }, 1).withParameters(Parameters.of("kept", 1.5)));
    }

    @Test
    void aResponseGoesBinaryForTheOutputsItsRequestAskedBinaryAndCarriesTheRequestsId() {
        InferRequest request = read("{\"id\":\"abc\",\"inputs\":[],\"outputs\":[{\"name\":\"scores\","
                + "\"parameters\":{\"binary_data\":true}},{\"name\":\"label\"}]}");
        InferResponse response = new InferResponse("digits", "1", request.id(), null,
                List.of(Tensor.fp32("scores", new long[] { 1, 2 }, 0.25f, 0.75f), Tensor.strings("label", new long[] { 1 }, "1")));

        EncodedBody body = codec.writeResponse(response, request::wantsBinary);

        assertThat(body.contentType()).isEqualTo("application/octet-stream");
        assertThat(text(Arrays.copyOf(body.bytes(), body.headerLength()))).isEqualTo("{\"model_name\":\"digits\","
                + "\"model_version\":\"1\",\"id\":\"abc\",\"outputs\":[{\"name\":\"scores\",\"shape\":[1,2],\"datatype\":\"FP32\","
                + "\"parameters\":{\"binary_data_size\":8}},{\"name\":\"label\",\"shape\":[1],\"datatype\":\"BYTES\","
                + "\"data\":[\"1\"]}]}");
        assertThat(codec.readResponse(body.bytes(), String.valueOf(body.headerLength()))).isEqualTo(response);
    }

    @Test
    void modelMetadataIsWrittenAsTheSpecShowsItAndReadBack() {
        ModelMetadata metadata = new ModelMetadata("digits", List.of("1"), "onnx_onnxv1",
                List.of(new ModelMetadata.TensorMetadata("input", Datatype.FP32, List.of(-1L, 64L))),
                List.of(new ModelMetadata.TensorMetadata("probabilities", Datatype.FP32, List.of(-1L, 10L))));

        byte[] json = codec.writeModelMetadata(metadata);

        assertThat(text(json)).isEqualTo("{\"name\":\"digits\",\"versions\":[\"1\"],\"platform\":\"onnx_onnxv1\","
                + "\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[-1,64]}],"
                + "\"outputs\":[{\"name\":\"probabilities\",\"datatype\":\"FP32\",\"shape\":[-1,10]}]}");
        assertThat(codec.readModelMetadata(json)).isEqualTo(metadata);
    }

    @Test
    void serverMetadataAndTheErrorObjectAreWrittenAndRead() {
        ServerMetadata server = new ServerMetadata("mlpipe", "1.0.0", List.of(ServerMetadata.BINARY_TENSOR_DATA));

        assertThat(text(codec.writeServerMetadata(server)))
                .isEqualTo("{\"name\":\"mlpipe\",\"version\":\"1.0.0\",\"extensions\":[\"binary_tensor_data\"]}");
        assertThat(codec.readServerMetadata(codec.writeServerMetadata(server))).isEqualTo(server);
        assertThat(text(codec.writeError("unknown model 'x'"))).isEqualTo("{\"error\":\"unknown model 'x'\"}");
        assertThat(codec.readError(codec.writeError("a \"quoted\" reason"))).isEqualTo("a \"quoted\" reason");
        assertThat(codec.readError(bytes("<html>502 Bad Gateway</html>\n"))).isEqualTo("<html>502 Bad Gateway</html>");
    }

    @Test
    void integerParametersAreLongsAndOthersDoubles() {
        InferRequest request = read("{\"parameters\":{\"priority\":2,\"timeout\":5000000,\"big\":18446744073709551615,"
                + "\"ratio\":0.5,\"name\":\"x\",\"flag\":false},\"inputs\":[]}");

        assertThat(request.parameters().values()).containsExactly(Map.entry("priority", 2L), Map.entry("timeout", 5_000_000L),
                Map.entry("big", 1.8446744073709552E19), Map.entry("ratio", 0.5), Map.entry("name", "x"),
                Map.entry("flag", false));
        assertThat(request.parameters().integer("timeout", "the request")).hasValue(5_000_000L);
    }

    private InferRequest read(String json) {
        return codec.readRequest(bytes(json), null);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
