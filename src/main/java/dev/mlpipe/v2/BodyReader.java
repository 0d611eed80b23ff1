package dev.mlpipe.v2;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

/**
 * Reads infer requests and responses with Jackson's streaming parser, straight into primitive arrays. The body is the
 * JSON object, or (the binary tensor data extension) a JSON header of {@value V2Codec#HEADER_LENGTH} bytes followed by
 * the binary tensors. Fields may come in any order: a tensor's {@code data} met before its {@code shape} and
 * {@code datatype} is skipped and read again from its bytes once they are known. Every bound of {@link Limits} is
 * checked before what it bounds is allocated.
 */
final class BodyReader {

    static final String BINARY_DATA_SIZE = "binary_data_size";

    private final JsonFactory json;
    private final Limits limits;

    BodyReader(JsonFactory json, Limits limits) {
        this.json = json;
        this.limits = limits;
    }

    InferRequest request(byte[] body, String headerLength) {
        return read(body, headerLength, "input", Reading::request);
    }

    InferResponse response(byte[] body, String headerLength) {
        return read(body, headerLength, "output", Reading::response);
    }

    private interface Step<T> {
        T read(Reading reading, JsonParser parser) throws IOException;
    }

    private <T> T read(byte[] body, String headerLength, String kind, Step<T> step) {
        Reading reading = new Reading(body, headerLength, kind);
        try (JsonParser parser = json.createParser(body, 0, reading.jsonEnd)) {
            T read = step.read(reading, parser);
            reading.binary.finish();
            return read;
        } catch (IOException e) {
            throw notJson(e);
        }
    }

    private V2Refused notJson(IOException e) {
        if (e instanceof StreamConstraintsException constraint) {
            String message = String.valueOf(constraint.getOriginalMessage());
            if (message.contains("nesting depth")) {
                return V2Refused.badRequest("the body's JSON nests deeper than " + limits.maxDepth() + " levels");
            }
            return V2Refused.badRequest("the body's JSON is beyond a bound: " + message.replaceAll(", from `[^`]*`", ""));
        }
        if (e instanceof JsonProcessingException parse && parse.getLocation() != null) {
            return V2Refused.badRequest("the body is not valid JSON: " + V2Refused.clip(String.valueOf(parse.getOriginalMessage()), 240)
                    + " (line " + parse.getLocation().getLineNr() + ", column " + parse.getLocation().getColumnNr() + ")");
        }
        return V2Refused.badRequest("the body is not valid JSON: " + V2Refused.clip(String.valueOf(e.getMessage()), 240));
    }

    /** One body being read: where its JSON ends, its binary tensors, and the elements taken so far. */
    private final class Reading {
        private final byte[] body;
        private final int jsonEnd;
        private final boolean header;
        private final BinaryTensors binary;
        private final String kind;
        private long elements;

        Reading(byte[] body, String headerLength, String kind) {
            if (body.length > limits.maxBodyBytes()) {
                throw V2Refused.tooLarge("the body has " + body.length + " bytes, more than the " + limits.maxBodyBytes()
                        + " mlpipe reads");
            }
            this.body = body;
            this.kind = kind;
            this.header = headerLength != null;
            this.jsonEnd = header ? headerLength(headerLength, body.length) : body.length;
            this.binary = new BinaryTensors(body, jsonEnd);
            utf8(body, jsonEnd);
        }

        /**
         * Refuses a body Jackson would read as UTF-16 or UTF-32 (a zero among its first four bytes, or a UTF-16 byte
         * order mark): JSON on the wire is UTF-8 (RFC 8259), and byte offsets, which deferred data is read again from,
         * are bytes of UTF-8 only.
         */
        private static void utf8(byte[] body, int end) {
            boolean zero = false;
            for (int i = 0; i < Math.min(4, end); i++) {
                zero |= body[i] == 0;
            }
            boolean utf16Mark = end >= 2 && (body[0] & 0xff) + (body[1] & 0xff) == 0xfe + 0xff
                    && (body[0] & 0xff) >= 0xfe && (body[1] & 0xff) >= 0xfe;
            if (zero || utf16Mark) {
                throw V2Refused.badRequest("the body must be JSON in UTF-8; its first bytes are UTF-16's or UTF-32's");
            }
        }

        InferRequest request(JsonParser parser) throws IOException {
            root(parser);
            String id = null;
            Parameters parameters = Parameters.NONE;
            List<Tensor> inputs = null;
            List<InferRequest.RequestedOutput> outputs = List.of();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "id" -> id = string(parser, "the request's 'id'");
                    case "parameters" -> parameters = parameters(parser, "the request");
                    case "inputs" -> inputs = tensors(parser, "inputs");
                    case "outputs" -> outputs = requestedOutputs(parser);
                    default -> parser.skipChildren();
                }
            }
            end(parser);
            if (inputs == null) {
                throw V2Refused.badRequest("the request has no 'inputs'");
            }
            parameters.bool(InferRequest.BINARY_DATA_OUTPUT, "the request");
            return new InferRequest(id, parameters, inputs, outputs);
        }

        InferResponse response(JsonParser parser) throws IOException {
            root(parser);
            String model = null;
            String version = null;
            String id = null;
            Parameters parameters = Parameters.NONE;
            List<Tensor> outputs = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "model_name" -> model = string(parser, "the response's 'model_name'");
                    case "model_version" -> version = string(parser, "the response's 'model_version'");
                    case "id" -> id = string(parser, "the response's 'id'");
                    case "parameters" -> parameters = parameters(parser, "the response");
                    case "outputs" -> outputs = tensors(parser, "outputs");
                    default -> parser.skipChildren();
                }
            }
            end(parser);
            if (outputs == null) {
                throw V2Refused.badRequest("the response has no 'outputs'");
            }
            return new InferResponse(model, version, id, parameters, outputs);
        }

        private void root(JsonParser parser) throws IOException {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw V2Refused.badRequest(parser.currentToken() == null ? "the body is empty: it must be a JSON object"
                        : "the body must be a JSON object");
            }
        }

        private void end(JsonParser parser) throws IOException {
            if (parser.nextToken() != null) {
                throw V2Refused.badRequest("the body has more after its JSON object"
                        + (header ? " (within its " + V2Codec.HEADER_LENGTH + " of " + jsonEnd + " bytes)" : ""));
            }
        }

        private List<Tensor> tensors(JsonParser parser, String field) throws IOException {
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                throw V2Refused.badRequest("'" + field + "' must be an array");
            }
            List<Tensor> tensors = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (tensors.size() == limits.maxTensors()) {
                    throw V2Refused.badRequest("'" + field + "' has more than " + limits.maxTensors()
                            + " tensors, the most mlpipe reads");
                }
                if (parser.currentToken() != JsonToken.START_OBJECT) {
                    throw V2Refused.badRequest(kind + " " + tensors.size() + " must be an object");
                }
                Tensor tensor = tensor(parser, tensors.size());
                for (Tensor before : tensors) {
                    if (before.name().equals(tensor.name())) {
                        throw V2Refused.badRequest(kind + " '" + V2Refused.clip(tensor.name()) + "' is given twice");
                    }
                }
                tensors.add(tensor);
            }
            return tensors;
        }

        private Tensor tensor(JsonParser parser, int index) throws IOException {
            String name = null;
            long[] shape = null;
            Datatype type = null;
            Parameters parameters = Parameters.NONE;
            TensorData data = null;
            int deferredFrom = -1;
            int deferredTo = -1;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                String where = where(name, index);
                switch (field) {
                    case "name" -> name = string(parser, kind + " " + index + "'s 'name'");
                    case "shape" -> shape = shape(parser, where);
                    case "datatype" -> {
                        String spelled = string(parser, where + "'s 'datatype'");
                        type = spelled == null ? null : Datatype.named(spelled, where);
                    }
                    case "parameters" -> parameters = parameters(parser, where);
                    case "data" -> {
                        if (value == JsonToken.VALUE_NULL) {
                            break;
                        }
                        if (value != JsonToken.START_ARRAY) {
                            throw V2Refused.badRequest(where + ": 'data' must be an array");
                        }
                        int from = offset(parser);
                        if (shape != null && type != null) {
                            data = TensorJson.read(parser, where, type, shape, admit(where, shape, jsonEnd - from));
                        } else {
                            deferredFrom = from;
                            parser.skipChildren();
                            deferredTo = offset(parser) + 1;
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            String where = where(name, index);
            if (name == null) {
                throw V2Refused.badRequest(where + " has no 'name'");
            }
            if (type == null) {
                throw V2Refused.badRequest(where + " has no 'datatype'");
            }
            if (shape == null) {
                throw V2Refused.badRequest(where + " has no 'shape'");
            }
            var binarySize = parameters.integer(BINARY_DATA_SIZE, where);
            if (binarySize.isPresent()) {
                if (data != null || deferredFrom >= 0) {
                    throw V2Refused.badRequest(where + " has both 'data' and parameters.binary_data_size: one or the other");
                }
                data = binary.take(where, type, shape, admit(where, shape, -1), binarySize.getAsLong(), header);
                parameters = parameters.without(BINARY_DATA_SIZE);
            } else if (deferredFrom >= 0) {
                data = deferred(where, type, shape, deferredFrom, deferredTo);
            } else if (data == null) {
                throw V2Refused.badRequest(where + " has neither 'data' nor parameters.binary_data_size");
            }
            return new Tensor(name, type, shape, data, parameters);
        }

        /** Reads a {@code data} array skipped before its tensor's shape and datatype were known. */
        private TensorData deferred(String where, Datatype type, long[] shape, int from, int to) throws IOException {
            int count = admit(where, shape, to - from);
            try (JsonParser again = json.createParser(body, from, to - from)) {
                again.nextToken();
                return TensorJson.read(again, where, type, shape, count);
            }
        }

        /**
         * Counts a tensor's elements against the bound on all of them, and, for JSON data, against what its bytes can
         * carry (an element takes at least two: a digit and a comma), so that no array is allocated for elements the
         * body cannot hold.
         */
        private int admit(String where, long[] shape, int jsonBytes) {
            long count = Tensor.elementCount(shape);
            if (count < 0 || count > limits.maxElements() - elements) {
                throw V2Refused.badRequest(where + ": shape " + Arrays.toString(shape) + " holds "
                        + (count < 0 ? "more than 2^63" : count) + " elements; the tensors of a body may hold at most "
                        + limits.maxElements() + " together");
            }
            if (jsonBytes >= 0 && count > jsonBytes / 2 + 1) {
                throw V2Refused.badRequest(where + ": shape " + Arrays.toString(shape) + " holds " + count
                        + " elements, more than the " + jsonBytes + " bytes left for its 'data' can carry");
            }
            elements += count;
            return (int) count;
        }

        private long[] shape(JsonParser parser, String where) throws IOException {
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                throw V2Refused.badRequest(where + ": 'shape' must be an array of integers");
            }
            long[] dimensions = new long[4];
            int rank = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                    throw V2Refused.badRequest(where + ": 'shape' must be an array of integers, not "
                            + (parser.currentToken().isStructStart() ? "of arrays or objects" : "with "
                                    + V2Refused.clip(parser.getText())));
                }
                if (rank == limits.maxDepth()) {
                    throw V2Refused.badRequest(where + ": 'shape' has more than " + limits.maxDepth() + " dimensions");
                }
                if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER || parser.getLongValue() < 0) {
                    throw V2Refused.badRequest(where + ": dimension " + rank + " of 'shape', "
                            + V2Refused.clip(parser.getText()) + ", must be from 0 to " + Long.MAX_VALUE);
                }
                if (rank == dimensions.length) {
                    dimensions = Arrays.copyOf(dimensions, rank * 2);
                }
                dimensions[rank++] = parser.getLongValue();
            }
            return Arrays.copyOf(dimensions, rank);
        }

        private List<InferRequest.RequestedOutput> requestedOutputs(JsonParser parser) throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_NULL) {
                return List.of();
            }
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                throw V2Refused.badRequest("'outputs' must be an array");
            }
            List<InferRequest.RequestedOutput> outputs = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                int index = outputs.size();
                if (index == limits.maxTensors()) {
                    throw V2Refused.badRequest("'outputs' asks for more than " + limits.maxTensors()
                            + " outputs, the most mlpipe reads");
                }
                if (parser.currentToken() != JsonToken.START_OBJECT) {
                    throw V2Refused.badRequest("requested output " + index + " must be an object");
                }
                String name = null;
                Parameters parameters = Parameters.NONE;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    parser.nextToken();
                    switch (field) {
                        case "name" -> name = string(parser, "requested output " + index + "'s 'name'");
                        case "parameters" -> parameters = parameters(parser, name == null ? "requested output " + index
                                : "requested output '" + V2Refused.clip(name) + "'");
                        default -> parser.skipChildren();
                    }
                }
                if (name == null) {
                    throw V2Refused.badRequest("requested output " + index + " has no 'name'");
                }
                InferRequest.RequestedOutput output = new InferRequest.RequestedOutput(name, parameters);
                output.binary();
                outputs.add(output);
            }
            return outputs;
        }

        private String where(String name, int index) {
            return name == null ? kind + " " + index : kind + " '" + V2Refused.clip(name) + "'";
        }

        private int offset(JsonParser parser) {
            return (int) parser.currentTokenLocation().getByteOffset();
        }
    }

    /**
     * A parameters object: a string, number or boolean per name (a null value counts as not given).
     */
    static Parameters parameters(JsonParser parser, String where) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return Parameters.NONE;
        }
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw V2Refused.badRequest(where + ": 'parameters' must be an object");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            switch (parser.nextToken()) {
                case VALUE_STRING -> values.put(name, parser.getText());
                case VALUE_NUMBER_INT -> values.put(name, parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? (Object) parser.getDoubleValue() : (Object) parser.getLongValue());
                case VALUE_NUMBER_FLOAT -> values.put(name, parser.getDoubleValue());
                case VALUE_TRUE -> values.put(name, true);
                case VALUE_FALSE -> values.put(name, false);
                case VALUE_NULL -> values.remove(name);
                default -> throw V2Refused.badRequest(where + ": parameter '" + V2Refused.clip(name)
                        + "' must be a string, a number or a boolean");
            }
        }
        return values.isEmpty() ? Parameters.NONE : new Parameters(values);
    }

    /** A string value or null. */
    static String string(JsonParser parser, String what) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NULL -> null;
            default -> throw V2Refused.badRequest(what + " must be a string");
        };
    }

    /** The value of the {@value V2Codec#HEADER_LENGTH} header: where the JSON header of a body of {@code length} ends. */
    static int headerLength(String value, int length) {
        long parsed;
        try {
            parsed = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw V2Refused.badRequest(V2Codec.HEADER_LENGTH + " must be a whole number of bytes, not '"
                    + V2Refused.clip(value) + "'");
        }
        if (parsed < 0) {
            throw V2Refused.badRequest(V2Codec.HEADER_LENGTH + " must not be negative, not " + parsed);
        }
        if (parsed > length) {
            throw V2Refused.badRequest(V2Codec.HEADER_LENGTH + " " + parsed + " is beyond the end of the body, which has "
                    + length + " bytes");
        }
        if (parsed == 0) {
            throw V2Refused.badRequest(V2Codec.HEADER_LENGTH + " 0 (a raw binary request, without a JSON header) is not "
                    + "supported: send the JSON header first");
        }
        return (int) parsed;
    }
}
