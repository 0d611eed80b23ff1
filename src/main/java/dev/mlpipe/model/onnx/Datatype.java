package dev.mlpipe.model.onnx;

/** The element types mlpipe feeds a model and reads from it, named as in the KServe v2 protocol. */
public enum Datatype {
    FP32,
    INT64
}
