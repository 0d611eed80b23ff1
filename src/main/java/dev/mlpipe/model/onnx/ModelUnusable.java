package dev.mlpipe.model.onnx;

/**
 * A model that cannot be loaded or that mlpipe cannot feed: the message is one sentence naming the model's location and
 * what is wrong, meant to be printed as it is (no stack trace: it is the operator's to fix, not a bug).
 */
public final class ModelUnusable extends RuntimeException {

    ModelUnusable(String message) {
        super(message, null, false, false);
    }
}
