package dev.mlpipe.v2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@code GET /v2/models/{model}} answers (inference_rest.md, "Model Metadata Response JSON Object"): the model's
 * name, versions, platform ({@code onnx_onnxv1} for an ONNX model), and its inputs and outputs, {@code -1} for a
 * dimension of any size (the batch dimension among them).
 */
public record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
        List<TensorMetadata> outputs) {

    public ModelMetadata {
        Objects.requireNonNull(name, "name");
        versions = versions == null ? List.of() : List.copyOf(versions);
        Objects.requireNonNull(platform, "platform");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** A tensor a model takes or gives (inference_rest.md, "$metadata_tensor"). */
    public record TensorMetadata(String name, Datatype datatype, List<Long> shape) {

        public TensorMetadata {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(datatype, "datatype");
            shape = List.copyOf(shape);
        }

        /** Whether a tensor of this datatype and shape fits, {@code -1} fitting any size. */
        boolean fits(Tensor tensor) {
            if (tensor.datatype() != datatype || tensor.rank() != shape.size()) {
                return false;
            }
            for (int i = 0; i < shape.size(); i++) {
                if (shape.get(i) != -1 && shape.get(i) != tensor.dimension(i)) {
                    return false;
                }
            }
            return true;
        }

        String describe() {
            return datatype + " " + shape;
        }
    }

    /**
     * Checks a request against this model, as a server does before it runs one: every input the model takes is given
     * once, with its datatype and a shape that fits; no other input is given; every output asked for is one the model
     * gives, asked once.
     *
     * @return the rows the request holds: the first dimension its inputs share where the model's first dimension is
     *         {@code -1} (the batch), else 1
     * @throws V2Refused (400) naming the input or output and the rule it breaks
     */
    public long rowsOf(InferRequest request) {
        Set<String> given = new HashSet<>();
        for (Tensor input : request.inputs()) {
            TensorMetadata expected = input(input.name());
            if (expected == null) {
                throw V2Refused.badRequest("unexpected input '" + V2Refused.clip(input.name()) + "' for model '" + name
                        + "' (its inputs: " + names(inputs) + ")");
            }
            if (!given.add(input.name())) {
                throw V2Refused.badRequest("input '" + V2Refused.clip(input.name()) + "' is given twice");
            }
            if (!expected.fits(input)) {
                throw V2Refused.badRequest("input '" + input.name() + "' is " + input.datatype() + " "
                        + Arrays.toString(input.shape()) + "; model '" + name + "' takes " + expected.describe());
            }
        }
        List<String> missing = new ArrayList<>();
        for (TensorMetadata input : inputs) {
            if (!given.contains(input.name())) {
                missing.add(input.name());
            }
        }
        if (!missing.isEmpty()) {
            throw V2Refused.badRequest("model '" + name + "' needs input" + (missing.size() == 1 ? " '" : "s '")
                    + String.join("', '", missing) + "'");
        }
        Set<String> asked = new HashSet<>();
        for (InferRequest.RequestedOutput output : request.outputs()) {
            if (output(output.name()) == null) {
                throw V2Refused.badRequest("unknown output '" + V2Refused.clip(output.name()) + "' for model '" + name
                        + "' (its outputs: " + names(outputs) + ")");
            }
            if (!asked.add(output.name())) {
                throw V2Refused.badRequest("output '" + V2Refused.clip(output.name()) + "' is asked for twice");
            }
        }
        return batchRows(request);
    }

    private long batchRows(InferRequest request) {
        long rows = -1;
        for (Tensor input : request.inputs()) {
            TensorMetadata expected = input(input.name());
            if (expected.shape().isEmpty() || expected.shape().get(0) != -1) {
                return 1;
            }
            if (rows >= 0 && input.dimension(0) != rows) {
                throw V2Refused.badRequest("the inputs disagree on the batch size: input '" + input.name() + "' has "
                        + input.dimension(0) + " rows, the one before it " + rows);
            }
            rows = input.dimension(0);
        }
        return rows < 0 ? 1 : rows;
    }

    public TensorMetadata input(String name) {
        return find(inputs, name);
    }

    public TensorMetadata output(String name) {
        return find(outputs, name);
    }

    private static TensorMetadata find(List<TensorMetadata> tensors, String name) {
        for (TensorMetadata tensor : tensors) {
            if (tensor.name().equals(name)) {
                return tensor;
            }
        }
        return null;
    }

    private static String names(List<TensorMetadata> tensors) {
        return tensors.stream().map(TensorMetadata::name).collect(Collectors.joining(", "));
    }
}
