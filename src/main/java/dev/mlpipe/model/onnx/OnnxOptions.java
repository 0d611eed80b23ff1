package dev.mlpipe.model.onnx;

import java.util.Optional;

/**
 * How to load a model: ONNX Runtime's intra-op threads per call (1: each call runs on its caller's thread alone), and
 * the input and output to use (empty: the model's first).
 */
public record OnnxOptions(int intraOpThreads, Optional<String> input, Optional<String> output) {

    public OnnxOptions {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intra-op-threads must be at least 1, not " + intraOpThreads);
        }
    }

    public static OnnxOptions defaults() {
        return new OnnxOptions(1, Optional.empty(), Optional.empty());
    }
}
