package dev.mlpipe.v2;

/**
 * Bounds on what a body may ask the reader to hold: a body's bytes (413 beyond), the elements of all its tensors
 * together, the nesting depth of its JSON (which also bounds a shape's dimensions), and how many tensors, requested
 * outputs or parameters it may list. Beyond them a body is refused before anything is allocated for it.
 */
public record Limits(int maxBodyBytes, int maxElements, int maxDepth, int maxTensors) {

    /**
     * 64 MiB, 8 Mi elements (32 MiB of FP32), depth 32, 64 tensors: far beyond a request for the models mlpipe serves
     * (digits: 64 elements a row), well inside a default heap for a few requests at once.
     */
    public static final Limits DEFAULT = new Limits(64 << 20, 8 << 20, 32, 64);

    public Limits {
        if (maxBodyBytes < 1 || maxElements < 1 || maxDepth < 4 || maxTensors < 1) {
            throw new IllegalArgumentException("limits must be positive, and the depth at least 4: " + maxBodyBytes
                    + ", " + maxElements + ", " + maxDepth + ", " + maxTensors);
        }
    }
}
