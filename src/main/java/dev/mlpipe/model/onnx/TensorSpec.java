package dev.mlpipe.model.onnx;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * A model's input or output as its file declares it: its name, element type and shape, {@code -1} for a dimension the
 * file leaves open (a named or unknown one).
 */
@RegisterForReflection // listed by GET /api/models
public record TensorSpec(String name, Datatype datatype, List<Long> shape) {

    public TensorSpec {
        shape = List.copyOf(shape);
    }
}
