package dev.mlpipe.v2;

/**
 * A body as written: the JSON object alone ({@code headerLength} {@code -1}), or the JSON header followed by the
 * tensors written binary, which an HTTP message sends with {@value V2Codec#HEADER_LENGTH} = {@code headerLength} (the
 * binary tensor data extension).
 */
public record EncodedBody(byte[] bytes, int headerLength) {

    /** Whether tensors were written binary, so the message needs {@value V2Codec#HEADER_LENGTH}. */
    public boolean hasBinary() {
        return headerLength >= 0;
    }

    /** {@code application/json}, or {@code application/octet-stream} where binary tensors follow (as Triton sends). */
    public String contentType() {
        return hasBinary() ? "application/octet-stream" : "application/json";
    }
}
