/**
 * The Open Inference Protocol (KServe v2) REST bodies, both ways: {@link dev.mlpipe.v2.V2Codec} reads and writes infer
 * requests and responses ({@link dev.mlpipe.v2.InferRequest}, {@link dev.mlpipe.v2.InferResponse}, their
 * {@link dev.mlpipe.v2.Tensor}s in primitive arrays), model and server metadata and the error object, in JSON and in
 * Triton's binary tensor data extension, refusing what breaks the protocol or a {@link dev.mlpipe.v2.Limits bound} with
 * a {@link dev.mlpipe.v2.V2Refused}. The v2 server (an HTTP edge, in api/) and the v2 client backend (in model/) both
 * use it, so it depends on nothing of mlpipe's: it is the lowest layer.
 */
package dev.mlpipe.v2;
