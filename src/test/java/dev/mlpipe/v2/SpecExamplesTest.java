package dev.mlpipe.v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

/**
 * The protocol's own examples (src/test/resources/dev/mlpipe/v2/spec, sources in its SOURCES.md), read as they are and
 * written back. Three of them are not what they mean to be (a shape that does not match its data, two bodies that are
 * not JSON): those are refused, saying why, and read once mended.
 */
class SpecExamplesTest {

    private final V2Codec codec = new V2Codec();

    @Test
    void theRestSpecsRequestIsRefusedForItsBoolInputWhoseShapeHoldsThreeElementsAndItsDataOne() {
        assertThatThrownBy(() -> codec.readRequest(example("inference_rest-request.json"), null))
                .isInstanceOf(V2Refused.class).hasMessage("input 'input1': shape [3] holds 3 elements, 'data' has 1")
                .extracting(e -> ((V2Refused) e).status()).isEqualTo(400);
    }

    @Test
    void theRestSpecsRequestWithAShapeForItsOneBoolIsReadAndWrittenBack() {
        byte[] mended = replace(example("inference_rest-request.json"), "\"shape\" : [ 3 ]", "\"shape\" : [ 1 ]");

        InferRequest request = codec.readRequest(mended, null);

        assertThat(request.id()).isEqualTo("42");
        assertThat(request.inputs()).containsExactly(
                new Tensor("input0", Datatype.UINT32, new long[] { 2, 2 }, new TensorData.Int32s(new int[] { 1, 2, 3, 4 })),
                Tensor.bools("input1", new long[] { 1 }, true));
        assertThat(request.outputs()).containsExactly(new InferRequest.RequestedOutput("output0"));
        assertThat(request.wantsBinary("output0")).isFalse();
        assertThat(writtenBack(request)).isEqualTo(request);
    }

    @Test
    void theRestSpecsResponseIsRefusedAsNotJsonForTheCommaItLacksAfterItsId() {
        assertThatThrownBy(() -> codec.readResponse(example("inference_rest-response.json"), null))
                .isInstanceOf(V2Refused.class)
                .hasMessageStartingWith("the body is not valid JSON: Unexpected character ('\"' (code 34)): was expecting "
                        + "comma to separate Object entries")
                .hasMessageEndingWith("(line 3, column 3)");
    }

    @Test
    void theRestSpecsResponseWithTheCommaIsReadAndWrittenBack() {
        byte[] mended = replace(example("inference_rest-response.json"), "\"42\"\n", "\"42\",\n");

        InferResponse response = codec.readResponse(mended, null);

        assertThat(response.id()).isEqualTo("42");
        assertThat(response.modelName()).as("the example leaves model_name out").isNull();
        assertThat(response.outputs()).containsExactly(
                Tensor.fp32("output0", new long[] { 3, 2 }, 1.0f, 1.1f, 2.0f, 2.1f, 3.0f, 3.1f));
        EncodedBody written = codec.writeResponse(response, name -> false);
        assertThat(written.hasBinary()).isFalse();
        assertThat(codec.readResponse(written.bytes(), null)).isEqualTo(response);
    }

    @Test
    void tritonsBinaryRequestIsReadFromItsJsonHeaderAndItsNineteenBytesAndWrittenBackTheSame() {
        byte[] header = example("binary_data-request-header.json");
        byte[] tensors = ByteBuffer.allocate(19).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(1).putInt(2).putInt(3).putInt(0xffff_ffff) // input0, UINT32 [2, 2]
                .put((byte) 1).put((byte) 0).put((byte) 1) // input1, BOOL [3]
                .array();

        InferRequest request = codec.readRequest(concat(header, tensors), String.valueOf(header.length));

        assertThat(request.inputs()).containsExactly(
                new Tensor("input0", Datatype.UINT32, new long[] { 2, 2 }, new TensorData.Int32s(new int[] { 1, 2, 3, -1 })),
                Tensor.bools("input1", new long[] { 3 }, true, false, true));
        assertThat(request.inputs()).allSatisfy(input -> assertThat(input.parameters().isEmpty())
                .as("binary_data_size is the transport's, not the tensor's").isTrue());
        assertThat(request.wantsBinary("output0")).isTrue();

        EncodedBody written = codec.writeRequest(request, name -> true);
        assertThat(written.hasBinary()).isTrue();
        assertThat(Arrays.copyOfRange(written.bytes(), written.headerLength(), written.bytes().length)).isEqualTo(tensors);
        assertThat(new String(written.bytes(), 0, written.headerLength(), StandardCharsets.UTF_8))
                .contains("\"binary_data_size\":16").contains("\"binary_data_size\":3").doesNotContain("\"data\"");
        assertThat(codec.readRequest(written.bytes(), String.valueOf(written.headerLength()))).isEqualTo(request);
    }

    @Test
    void tritonsBinaryResponseIsReadAndWrittenBackWithTheSameTwentyFourBytes() {
        byte[] header = example("binary_data-response-header.json");
        float[] values = { 1.0f, 1.1f, 2.0f, 2.1f, 3.0f, 3.1f };
        ByteBuffer tensor = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        tensor.asFloatBuffer().put(values);

        InferResponse response = codec.readResponse(concat(header, tensor.array()), String.valueOf(header.length));

        assertThat(response.outputs()).containsExactly(Tensor.fp32("output0", new long[] { 3, 2 }, values));
        EncodedBody written = codec.writeResponse(response, name -> true);
        assertThat(Arrays.copyOfRange(written.bytes(), written.headerLength(), written.bytes().length))
                .isEqualTo(tensor.array());
        assertThat(written.contentType()).isEqualTo("application/octet-stream");
        assertThat(codec.readResponse(written.bytes(), String.valueOf(written.headerLength()))).isEqualTo(response);
    }

    @Test
    void tritonsRawBinaryExamplesResponseReadsItsTwoOutputsInTheOrderOfTheHeader() {
        byte[] header = example("binary_data-raw-response-header.json");
        ByteBuffer tensors = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        tensors.asFloatBuffer().put(new float[] { 1, 2, 3, 4, 5, 6 });

        InferResponse response = codec.readResponse(concat(header, tensors.array()), String.valueOf(header.length));

        assertThat(response.outputs()).containsExactly(Tensor.fp32("output0", new long[] { 3, 1 }, 1, 2, 3),
                Tensor.fp32("output1", new long[] { 3, 1 }, 4, 5, 6));
    }

    @Test
    void aRawBinaryRequestWithoutAJsonHeaderIsRefusedSayingSo() {
        assertThatThrownBy(() -> codec.readRequest(new byte[16], "0")).isInstanceOf(V2Refused.class)
                .hasMessage("Inference-Header-Content-Length 0 (a raw binary request, without a JSON header) is not "
                        + "supported: send the JSON header first");
    }

    @Test
    void tritonsParametersExampleIsRefusedAsNotJsonAndReadOnceItsCommasAreMended() {
        byte[] verbatim = example("parameters-request.json");
        assertThatThrownBy(() -> codec.readRequest(verbatim, null)).isInstanceOf(V2Refused.class)
                .hasMessageContaining("was expecting comma to separate Object entries");

        byte[] mended = replace(replace(verbatim, "42 }\n", "42 },\n"), "\"output0\",", "\"output0\"");
        InferRequest request = codec.readRequest(mended, null);

        assertThat(request.parameters().values()).containsExactly(java.util.Map.entry("my_custom_parameter", 42L));
        assertThat(writtenBack(request)).isEqualTo(request);
    }

    @Test
    void tritonsClassificationRequestKeepsItsOutputsParameter() {
        InferRequest request = codec.readRequest(example("classification-request.json"), null);

        assertThat(request.outputs()).containsExactly(
                new InferRequest.RequestedOutput("output0", Parameters.of("classification", 2L)));
        assertThat(writtenBack(request)).isEqualTo(request);
    }

    private InferRequest writtenBack(InferRequest request) {
        EncodedBody written = codec.writeRequest(request, name -> false);
        assertThat(written.hasBinary()).isFalse();
        assertThat(written.contentType()).isEqualTo("application/json");
        return codec.readRequest(written.bytes(), null);
    }

    static byte[] example(String name) {
        try (InputStream in = SpecExamplesTest.class.getResourceAsStream("spec/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static byte[] replace(byte[] body, String from, String to) {
        String text = new String(body, StandardCharsets.UTF_8);
        assertThat(text).contains(from);
        return text.replace(from, to).getBytes(StandardCharsets.UTF_8);
    }
}
