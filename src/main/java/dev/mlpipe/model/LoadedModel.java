package dev.mlpipe.model;

import java.util.Optional;

import dev.mlpipe.config.MlpipeConfig.ModelSettings.Backend;
import dev.mlpipe.config.PipelineSettings;
import dev.mlpipe.model.onnx.ModelInfo;
import dev.mlpipe.model.onnx.OutputReading;
import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.queue.ItemQueue;

/**
 * A model as a named resource, loaded once at start: its backend, its own bounded queue (the one its runs' loaders
 * and v2 requests feed: the broker's for {@code simulated} with a broker), batcher and settings (changed
 * live as {@code PUT /api/pipeline} changes the simulated model's), and, for a tensor model, what its file declares.
 *
 * @param inferenceMs the simulated backend's time per item (a run may set its own); 0 for a tensor model
 * @param tensor what a tensor model is fed and how its output is read; empty for the simulated backend
 */
public record LoadedModel(String name, Backend backend, ItemQueue queue, PipelineSettings settings,
        PipelineActivity activity, int inferenceMs, double batchItemCost, double randomMin, double randomMax,
        Optional<Tensor> tensor, LocalIntake intake, ModelBackend runner) {

    /** A tensor model's input and output as its file declares them, and how its output rows are read. */
    public record Tensor(String location, ModelInfo info, OutputReading reading) {

        /**
         * Bytes a kept result of this model takes beyond a simulated one's: its class, label, input row (a reference
         * and the array) and output row (in its chunk's shared array up to 256 numbers, else an array of its own).
         */
        public int keptBytes() {
            long outputs = info.outputRowShape().stream().mapToLong(d -> Math.max(1, d)).reduce(1, Math::multiplyExact);
            long outputBytes = outputs <= 256 ? 4L * outputs : 8 + 16 + 4L * outputs;
            return (int) Math.min(Integer.MAX_VALUE, 2 + 2 + (8 + 16) + 4L * info.rowLength() + outputBytes);
        }
    }

    /**
     * The time per item a run's worst case counts ({@code mlpipe.runs.max-duration}), in milliseconds: the simulated
     * backend's {@code inference-ms}, a tensor model's measured mean (its batches' time over their items, from a
     * timed call at start on).
     */
    public double meanItemMs() {
        return isTensor() ? runner.meanItemMs() : inferenceMs;
    }

    /** A run of this model ended: nothing of it waits in the queue, and a batch of its items alone stops. */
    public void runEnded(String runId) {
        queue.discard(runId);
        runner.runEnded(runId);
    }

    /** Whether its items are rows of numbers (an ONNX model) rather than the simulated model's values. */
    public boolean isTensor() {
        return tensor.isPresent();
    }
}
