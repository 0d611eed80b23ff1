package dev.mlpipe.v2;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An inference request (inference_rest.md, "Inference Request JSON Object"): an optional {@code id} the response must
 * carry back, parameters (Triton's {@code priority}, {@code timeout}, {@code binary_data_output} among them), the input
 * tensors, and the outputs wanted (none listed: every output, in JSON unless {@code binary_data_output}).
 */
public record InferRequest(String id, Parameters parameters, List<Tensor> inputs, List<RequestedOutput> outputs) {

    /** The request parameter that asks for every output in binary unless an output says otherwise. */
    public static final String BINARY_DATA_OUTPUT = "binary_data_output";

    public InferRequest {
        parameters = parameters == null ? Parameters.NONE : parameters;
        inputs = List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }

    public InferRequest(List<Tensor> inputs) {
        this(null, Parameters.NONE, inputs, List.of());
    }

    /** The input named {@code name}, or null. */
    public Tensor input(String name) {
        for (Tensor input : inputs) {
            if (input.name().equals(name)) {
                return input;
            }
        }
        return null;
    }

    /**
     * Whether the output named {@code name} is to be written binary (the binary tensor data extension): its own
     * {@code binary_data} if it is listed with one, else the request's {@code binary_data_output}, else JSON.
     */
    public boolean wantsBinary(String name) {
        for (RequestedOutput output : outputs) {
            if (output.name().equals(name)) {
                var own = output.binary();
                if (own.isPresent()) {
                    return own.get();
                }
            }
        }
        return parameters.bool(BINARY_DATA_OUTPUT, "the request").orElse(false);
    }

    /**
     * An output wanted (inference_rest.md, "Request Output"). Triton's {@code binary_data} stays among its parameters,
     * where {@link #binary()} reads it.
     */
    public record RequestedOutput(String name, Parameters parameters) {

        public static final String BINARY_DATA = "binary_data";

        public RequestedOutput {
            Objects.requireNonNull(name, "name");
            parameters = parameters == null ? Parameters.NONE : parameters;
        }

        public RequestedOutput(String name) {
            this(name, Parameters.NONE);
        }

        /** An output wanted binary ({@code "binary_data": true}). */
        public static RequestedOutput binary(String name) {
            return new RequestedOutput(name, Parameters.of(BINARY_DATA, true));
        }

        /** Its {@code binary_data}, if given (a non-boolean one was refused when the request was read). */
        public Optional<Boolean> binary() {
            return parameters.bool(BINARY_DATA, "output '" + name + "'");
        }
    }
}
