package dev.mlpipe.v2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Open Inference Protocol's REST bodies (kserve/open-inference-protocol, specification/protocol/inference_rest.md)
 * with Triton's binary tensor data extension (docs/protocol/extension_binary_data.md), both ways: what a v2 server
 * reads and writes (requests in, responses, metadata and errors out) and what a v2 client writes and reads. Thread-safe;
 * one instance serves every request.
 * <p>
 * A body that breaks the protocol or a {@link Limits bound} is a {@link V2Refused} with the message for the error
 * object and the HTTP status; nothing else escapes a reader. JSON numbers NaN, Infinity and -Infinity are read (Python's
 * json writes them) and written bare.
 */
public final class V2Codec {

    /** The header that gives the length of the JSON header where binary tensors follow it. */
    public static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    private final JsonFactory json;
    private final ObjectMapper mapper;
    private final BodyReader reader;
    private final BodyWriter writer;

    public V2Codec(Limits limits) {
        this.json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth())
                        .maxDocumentLength(limits.maxBodyBytes())
                        .maxStringLength(limits.maxBodyBytes())
                        .build())
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
                .build();
        this.mapper = new ObjectMapper(json);
        this.reader = new BodyReader(json, limits);
        this.writer = new BodyWriter(json);
    }

    public V2Codec() {
        this(Limits.DEFAULT);
    }

    /**
     * An infer request as a server receives it.
     *
     * @param headerLength the {@value #HEADER_LENGTH} header's value, or null where the request has none (then the
     *        body is the JSON object alone)
     * @throws V2Refused if the body breaks the protocol or a bound
     */
    public InferRequest readRequest(byte[] body, String headerLength) {
        return reader.request(body, headerLength);
    }

    /** An infer request as a client sends it, with the inputs {@code binaryInput} names written binary. */
    public EncodedBody writeRequest(InferRequest request, Predicate<String> binaryInput) {
        return writer.request(request, binaryInput);
    }

    /**
     * An infer response as a client receives it.
     *
     * @param headerLength the {@value #HEADER_LENGTH} header's value, or null
     * @throws V2Refused if the body breaks the protocol or a bound
     */
    public InferResponse readResponse(byte[] body, String headerLength) {
        return reader.response(body, headerLength);
    }

    /**
     * An infer response as a server sends it, with the outputs {@code binaryOutput} names written binary (for the
     * request it answers: {@code request::wantsBinary}).
     */
    public EncodedBody writeResponse(InferResponse response, Predicate<String> binaryOutput) {
        return writer.response(response, binaryOutput);
    }

    public byte[] writeModelMetadata(ModelMetadata metadata) {
        return write(generator -> {
            generator.writeStartObject();
            generator.writeStringField("name", metadata.name());
            strings(generator, "versions", metadata.versions());
            generator.writeStringField("platform", metadata.platform());
            tensors(generator, "inputs", metadata.inputs());
            tensors(generator, "outputs", metadata.outputs());
            generator.writeEndObject();
        });
    }

    /** @throws V2Refused if the body is not model metadata */
    public ModelMetadata readModelMetadata(byte[] body) {
        JsonNode root = tree(body, "model metadata");
        return new ModelMetadata(text(root, "name", "model metadata"), texts(root.get("versions"), "versions"),
                root.path("platform").asText(""), tensors(root, "inputs"), tensors(root, "outputs"));
    }

    public byte[] writeServerMetadata(ServerMetadata metadata) {
        return write(generator -> {
            generator.writeStartObject();
            generator.writeStringField("name", metadata.name());
            generator.writeStringField("version", metadata.version());
            strings(generator, "extensions", metadata.extensions());
            generator.writeEndObject();
        });
    }

    /** @throws V2Refused if the body is not server metadata */
    public ServerMetadata readServerMetadata(byte[] body) {
        JsonNode root = tree(body, "server metadata");
        return new ServerMetadata(text(root, "name", "server metadata"), text(root, "version", "server metadata"),
                texts(root.get("extensions"), "extensions"));
    }

    /** The error object, {@code {"error": message}}. */
    public byte[] writeError(String message) {
        return write(generator -> {
            generator.writeStartObject();
            generator.writeStringField("error", message);
            generator.writeEndObject();
        });
    }

    /** The message of an error object, or, from a body that is none (a proxy's page), its first characters. */
    public String readError(byte[] body) {
        try (JsonParser parser = json.createParser(body)) {
            JsonNode root = mapper.readTree(parser);
            if (root != null && root.path("error").isTextual()) {
                return root.get("error").asText();
            }
        } catch (IOException | RuntimeException notAnErrorObject) {
            // told as the body's text below
        }
        return V2Refused.clip(new String(body, StandardCharsets.UTF_8).strip());
    }

    private interface Writing {
        void to(JsonGenerator generator) throws IOException;
    }

    private byte[] write(Writing writing) {
        Buffer out = new Buffer(256);
        try (JsonGenerator generator = json.createGenerator(out)) {
            writing.to(generator);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void strings(JsonGenerator generator, String field, List<String> values) throws IOException {
        generator.writeArrayFieldStart(field);
        for (String value : values) {
            generator.writeString(value);
        }
        generator.writeEndArray();
    }

    private static void tensors(JsonGenerator generator, String field, List<ModelMetadata.TensorMetadata> tensors)
            throws IOException {
        generator.writeArrayFieldStart(field);
        for (ModelMetadata.TensorMetadata tensor : tensors) {
            generator.writeStartObject();
            generator.writeStringField("name", tensor.name());
            generator.writeStringField("datatype", tensor.datatype().name());
            generator.writeArrayFieldStart("shape");
            for (long dimension : tensor.shape()) {
                generator.writeNumber(dimension);
            }
            generator.writeEndArray();
            generator.writeEndObject();
        }
        generator.writeEndArray();
    }

    private JsonNode tree(byte[] body, String what) {
        JsonNode root;
        try (JsonParser parser = json.createParser(body)) {
            root = mapper.readTree(parser);
        } catch (IOException e) {
            throw V2Refused.badRequest(what + " is not valid JSON: " + V2Refused.clip(String.valueOf(e.getMessage())));
        }
        if (root == null || !root.isObject()) {
            throw V2Refused.badRequest(what + " must be a JSON object");
        }
        return root;
    }

    private static String text(JsonNode node, String field, String what) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw V2Refused.badRequest(what + " must have a string '" + field + "'");
        }
        return value.asText();
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        if (array == null || array.isNull()) {
            return values;
        }
        if (!array.isArray()) {
            throw V2Refused.badRequest("'" + field + "' must be an array of strings");
        }
        for (JsonNode value : array) {
            if (!value.isTextual()) {
                throw V2Refused.badRequest("'" + field + "' must be an array of strings");
            }
            values.add(value.asText());
        }
        return values;
    }

    private static List<ModelMetadata.TensorMetadata> tensors(JsonNode root, String field) {
        JsonNode array = root.get(field);
        if (array == null || !array.isArray()) {
            throw V2Refused.badRequest("model metadata must have an array '" + field + "'");
        }
        List<ModelMetadata.TensorMetadata> tensors = new ArrayList<>();
        for (JsonNode tensor : array) {
            String name = text(tensor, "name", field + " of model metadata");
            String where = field + " '" + V2Refused.clip(name) + "'";
            Datatype type = Datatype.named(text(tensor, "datatype", where), where);
            JsonNode shape = tensor.get("shape");
            if (shape == null || !shape.isArray()) {
                throw V2Refused.badRequest(where + " must have an array 'shape'");
            }
            List<Long> dimensions = new ArrayList<>();
            for (JsonNode dimension : shape) {
                if (!dimension.canConvertToLong() || !dimension.isIntegralNumber() || dimension.asLong() < -1) {
                    throw V2Refused.badRequest(where + ": 'shape' must hold integers, -1 for any size");
                }
                dimensions.add(dimension.asLong());
            }
            tensors.add(new ModelMetadata.TensorMetadata(name, type, dimensions));
        }
        return tensors;
    }
}
