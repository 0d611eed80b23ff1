package dev.mlpipe.serve;

import java.util.ArrayList;
import java.util.List;

import dev.mlpipe.config.MlpipeConfig.ModelSettings.WhenFull;
import dev.mlpipe.model.LoadedModel;
import dev.mlpipe.model.Result;
import dev.mlpipe.queue.Item;
import dev.mlpipe.v2.Datatype;
import dev.mlpipe.v2.InferRequest;
import dev.mlpipe.v2.ModelMetadata;
import dev.mlpipe.v2.ModelMetadata.TensorMetadata;
import dev.mlpipe.v2.Tensor;
import dev.mlpipe.v2.TensorData;
import dev.mlpipe.v2.V2Refused;

/**
 * The simulated model over v2: input {@code value} (INT64, one a row), outputs {@code prediction} (BYTES, the label
 * a run's results show) and {@code score} (FP32). Each row takes the model's {@code inference-ms}.
 */
record SimulatedServing(LoadedModel model, ModelMetadata metadata, WhenFull whenFull) implements ServedModel {

    static final String VALUE = "value";
    static final String PREDICTION = "prediction";
    static final String SCORE = "score";
    private static final List<Long> ONE_A_ROW = List.of(-1L, 1L);

    SimulatedServing(LoadedModel model, WhenFull whenFull) {
        this(model, new ModelMetadata(model.name(), List.of(VERSION), "mlpipe_simulated",
                List.of(new TensorMetadata(VALUE, Datatype.INT64, ONE_A_ROW)),
                List.of(new TensorMetadata(PREDICTION, Datatype.BYTES, ONE_A_ROW),
                        new TensorMetadata(SCORE, Datatype.FP32, ONE_A_ROW))), whenFull);
    }

    @Override
    public Item[] rows(InferRequest request, String id, int priority, int deadlineMs, long nowUs) {
        int rows = ServedModel.rowCount(metadata, request);
        long[] values = ((TensorData.Int64s) request.input(VALUE).data()).values();
        Item[] items = new Item[rows];
        for (int row = 0; row < rows; row++) {
            long value = values[row];
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw V2Refused.badRequest("input '" + VALUE + "' row " + row + " is " + value
                        + ": the simulated model takes 32-bit integers");
            }
            items[row] = Item.loaded(id, row + 1L, (int) value, model.inferenceMs(), priority, deadlineMs, nowUs);
        }
        return items;
    }

    @Override
    public List<Tensor> outputs(InferRequest request, Result[] results) {
        long[] shape = { results.length, 1 };
        List<Tensor> outputs = new ArrayList<>(2);
        if (ServedModel.wanted(request, PREDICTION)) {
            String[] predictions = new String[results.length];
            for (int row = 0; row < results.length; row++) {
                predictions[row] = results[row].prediction();
            }
            outputs.add(Tensor.strings(PREDICTION, shape, predictions));
        }
        if (ServedModel.wanted(request, SCORE)) {
            float[] scores = new float[results.length];
            for (int row = 0; row < results.length; row++) {
                scores[row] = (float) results[row].score();
            }
            outputs.add(Tensor.fp32(SCORE, shape, scores));
        }
        return outputs;
    }
}
