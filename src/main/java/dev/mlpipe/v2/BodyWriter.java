package dev.mlpipe.v2;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Writes infer requests and responses: the JSON object, its tensors' {@code data} flat; or, where a tensor is to go
 * binary, the JSON header with that tensor's {@code binary_data_size} and no {@code data}, then each such tensor's
 * bytes in the order of the JSON (the binary tensor data extension).
 */
final class BodyWriter {

    private final JsonFactory json;

    BodyWriter(JsonFactory json) {
        this.json = json;
    }

    EncodedBody request(InferRequest request, Predicate<String> binaryInput) {
        return write(request.inputs(), (generator, binary) -> {
            if (request.id() != null) {
                generator.writeStringField("id", request.id());
            }
            parameters(generator, request.parameters());
            generator.writeArrayFieldStart("inputs");
            for (Tensor input : request.inputs()) {
                tensor(generator, input, binaryInput.test(input.name()), binary);
            }
            generator.writeEndArray();
            if (!request.outputs().isEmpty()) {
                generator.writeArrayFieldStart("outputs");
                for (InferRequest.RequestedOutput output : request.outputs()) {
                    generator.writeStartObject();
                    generator.writeStringField("name", output.name());
                    parameters(generator, output.parameters());
                    generator.writeEndObject();
                }
                generator.writeEndArray();
            }
        });
    }

    EncodedBody response(InferResponse response, Predicate<String> binaryOutput) {
        return write(response.outputs(), (generator, binary) -> {
            if (response.modelName() != null) {
                generator.writeStringField("model_name", response.modelName());
            }
            if (response.modelVersion() != null) {
                generator.writeStringField("model_version", response.modelVersion());
            }
            if (response.id() != null) {
                generator.writeStringField("id", response.id());
            }
            parameters(generator, response.parameters());
            generator.writeArrayFieldStart("outputs");
            for (Tensor output : response.outputs()) {
                tensor(generator, output, binaryOutput.test(output.name()), binary);
            }
            generator.writeEndArray();
        });
    }

    /** Writes an object's fields, collecting the tensors to go binary. */
    private interface Fields {
        void write(JsonGenerator generator, List<Tensor> binary) throws IOException;
    }

    /** The object {@code fields} writes, then the tensors it sent binary, in its order. */
    private EncodedBody write(List<Tensor> tensors, Fields fields) {
        Buffer out = new Buffer(estimate(tensors));
        List<Tensor> binary = new ArrayList<>();
        try (JsonGenerator generator = json.createGenerator(out)) {
            generator.writeStartObject();
            fields.write(generator, binary);
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (binary.isEmpty()) {
            return new EncodedBody(out.toByteArray(), -1);
        }
        int headerLength = out.size();
        for (Tensor tensor : binary) {
            BinaryTensors.write(tensor.data(), out);
        }
        return new EncodedBody(out.toByteArray(), headerLength);
    }

    private static void tensor(JsonGenerator generator, Tensor tensor, boolean asBinary, List<Tensor> binary)
            throws IOException {
        generator.writeStartObject();
        generator.writeStringField("name", tensor.name());
        generator.writeArrayFieldStart("shape");
        for (int i = 0; i < tensor.rank(); i++) {
            generator.writeNumber(tensor.dimension(i));
        }
        generator.writeEndArray();
        generator.writeStringField("datatype", tensor.datatype().name());
        Parameters parameters = tensor.parameters().without(BodyReader.BINARY_DATA_SIZE);
        if (asBinary) {
            parameters = parameters.with(BodyReader.BINARY_DATA_SIZE, BinaryTensors.size(tensor.datatype(), tensor.data()));
            binary.add(tensor);
        }
        parameters(generator, parameters);
        if (!asBinary) {
            generator.writeFieldName("data");
            TensorJson.write(generator, tensor.datatype(), tensor.data());
        }
        generator.writeEndObject();
    }

    private static void parameters(JsonGenerator generator, Parameters parameters) throws IOException {
        if (parameters.isEmpty()) {
            return;
        }
        generator.writeObjectFieldStart("parameters");
        for (Map.Entry<String, Object> entry : parameters.values().entrySet()) {
            generator.writeFieldName(entry.getKey());
            Object value = entry.getValue();
            if (value instanceof String string) {
                generator.writeString(string);
            } else if (value instanceof Long integer) {
                generator.writeNumber(integer);
            } else if (value instanceof Double number) {
                generator.writeNumber(number);
            } else {
                generator.writeBoolean((Boolean) value);
            }
        }
        generator.writeEndObject();
    }

    /** Room for the JSON of a few small tensors, grown by doubling for larger ones. */
    private static int estimate(List<Tensor> tensors) {
        long elements = 0;
        for (Tensor tensor : tensors) {
            elements += tensor.data().length();
        }
        return (int) Math.min(256 + elements * 12, 1 << 20);
    }
}
