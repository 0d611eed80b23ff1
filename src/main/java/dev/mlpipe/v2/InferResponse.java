package dev.mlpipe.v2;

import java.util.List;

/**
 * An inference response (inference_rest.md, "Inference Response JSON Object"): the model's name and version, the
 * request's {@code id} if it had one, parameters, and the output tensors.
 */
public record InferResponse(String modelName, String modelVersion, String id, Parameters parameters, List<Tensor> outputs) {

    /** {@code modelName} may be null only in a response read from a server that left it out. */
    public InferResponse {
        parameters = parameters == null ? Parameters.NONE : parameters;
        outputs = List.copyOf(outputs);
    }

    /** The output named {@code name}, or null. */
    public Tensor output(String name) {
        for (Tensor output : outputs) {
            if (output.name().equals(name)) {
                return output;
            }
        }
        return null;
    }
}
