package dev.mlpipe.serve;

import java.util.List;

import dev.mlpipe.config.MlpipeConfig.ModelSettings.WhenFull;
import dev.mlpipe.model.LoadedModel;
import dev.mlpipe.model.Result;
import dev.mlpipe.queue.Item;
import dev.mlpipe.v2.InferRequest;
import dev.mlpipe.v2.ModelMetadata;
import dev.mlpipe.v2.Tensor;

/**
 * A model as the v2 server shows it: its metadata, how a request's input becomes items of the model's queue (one a
 * row), and how the rows' results become the response's outputs. One implementation per kind of model.
 */
public sealed interface ServedModel permits SimulatedServing, TensorServing {

    /** The only version a model has: mlpipe loads each model once. */
    String VERSION = "1";

    LoadedModel model();

    ModelMetadata metadata();

    /** What a request whose rows do not fit in the model's queue does ({@code v2-when-full}, not a live setting). */
    WhenFull whenFull();

    /**
     * The request's rows as items of the model's queue, each under {@code id} with its row's place as its seq (from 1).
     *
     * @throws dev.mlpipe.v2.V2Refused (400) naming the input and the rule it breaks
     */
    Item[] rows(InferRequest request, String id, int priority, int deadlineMs, long nowUs);

    /** The outputs the request asked for (all, if it named none), each row's from its result, in row order. */
    List<Tensor> outputs(InferRequest request, Result[] results);

    static ServedModel of(LoadedModel model, WhenFull whenFull) {
        return model.isTensor() ? new TensorServing(model, whenFull) : new SimulatedServing(model, whenFull);
    }

    /** Whether the request wants {@code name} among the outputs. */
    static boolean wanted(InferRequest request, String name) {
        return request.outputs().isEmpty()
                || request.outputs().stream().anyMatch(output -> output.name().equals(name));
    }

    /** The request's rows, as {@link ModelMetadata#rowsOf} reads and checks them, within an array's bounds. */
    static int rowCount(ModelMetadata metadata, InferRequest request) {
        long rows = metadata.rowsOf(request);
        if (rows < 1) {
            throw dev.mlpipe.v2.V2Refused.badRequest("the request holds no rows: the batch dimension of its inputs is 0");
        }
        return (int) Math.min(rows, Integer.MAX_VALUE);
    }
}
