package dev.mlpipe.v2;

import java.util.List;
import java.util.Objects;

/**
 * What {@code GET /v2} answers (inference_rest.md, "Server Metadata Response JSON Object"); the binary tensor data
 * extension is listed as {@value #BINARY_TENSOR_DATA}, as Triton lists it.
 */
public record ServerMetadata(String name, String version, List<String> extensions) {

    public static final String BINARY_TENSOR_DATA = "binary_tensor_data";

    public ServerMetadata {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        extensions = List.copyOf(extensions);
    }
}
