package dev.mlpipe.serve;

import java.util.ArrayList;
import java.util.List;

import dev.mlpipe.config.MlpipeConfig.ModelSettings.WhenFull;
import dev.mlpipe.model.LoadedModel;
import dev.mlpipe.model.Result;
import dev.mlpipe.model.onnx.ModelInfo;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.TensorRow;
import dev.mlpipe.v2.Datatype;
import dev.mlpipe.v2.InferRequest;
import dev.mlpipe.v2.ModelMetadata;
import dev.mlpipe.v2.ModelMetadata.TensorMetadata;
import dev.mlpipe.v2.Tensor;
import dev.mlpipe.v2.TensorData;
import dev.mlpipe.v2.V2Refused;

/**
 * An ONNX model over v2, as its file declares it: the input mlpipe feeds it (FP32 or INT64) and the output it reads
 * (FP32), {@code -1} for the batch dimension when the file leaves it open. Each row of the request is an item.
 */
record TensorServing(LoadedModel model, ModelInfo info, ModelMetadata metadata, WhenFull whenFull)
        implements ServedModel {

    /** An INT64 input takes integers below this in magnitude: the rows are floats, which hold each of them exactly. */
    private static final long INT64_BOUND = 1L << 24;

    TensorServing(LoadedModel model, WhenFull whenFull) {
        this(model, model.tensor().orElseThrow().info(), whenFull);
    }

    private TensorServing(LoadedModel model, ModelInfo info, WhenFull whenFull) {
        this(model, info, new ModelMetadata(model.name(), List.of(VERSION), "onnx_onnxv1",
                List.of(new TensorMetadata(info.input().name(), Datatype.valueOf(info.input().datatype().name()),
                        batchFirst(info, info.rowShape()))),
                List.of(new TensorMetadata(info.output().name(), Datatype.FP32,
                        batchFirst(info, info.outputRowShape())))), whenFull);
    }

    private static List<Long> batchFirst(ModelInfo info, List<Long> rowShape) {
        if (!info.batched()) {
            return rowShape;
        }
        List<Long> shape = new ArrayList<>(rowShape.size() + 1);
        shape.add(-1L);
        shape.addAll(rowShape);
        return shape;
    }

    @Override
    public Item[] rows(InferRequest request, String id, int priority, int deadlineMs, long nowUs) {
        int rows = ServedModel.rowCount(metadata, request);
        Tensor input = request.input(info.input().name());
        int length = info.rowLength();
        if (input.data().length() != (long) rows * length) {
            throw V2Refused.badRequest("input '" + input.name() + "' has " + input.data().length() + " elements; "
                    + rows + " rows of model '" + model.name() + "' take " + (long) rows * length);
        }
        Item[] items = new Item[rows];
        for (int row = 0; row < rows; row++) {
            float[] values = new float[length];
            if (input.data() instanceof TensorData.Fp32s floats) {
                System.arraycopy(floats.values(), row * length, values, 0, length);
            } else {
                // rowCount checked the datatype against the metadata: FP32 or INT64
                copyIntegers(input.name(), ((TensorData.Int64s) input.data()).values(), row, values);
            }
            items[row] = Item.loaded(id, row + 1L, new TensorRow.Values(row, values, null), priority, deadlineMs, nowUs);
        }
        return items;
    }

    private static void copyIntegers(String name, long[] from, int row, float[] to) {
        int at = row * to.length;
        for (int i = 0; i < to.length; i++) {
            long value = from[at + i];
            if (value <= -INT64_BOUND || value >= INT64_BOUND) {
                throw V2Refused.badRequest("input '" + name + "' row " + row + " holds " + value
                        + ": mlpipe feeds INT64 inputs integers below 2^24 in magnitude");
            }
            to[i] = value;
        }
    }

    @Override
    public List<Tensor> outputs(InferRequest request, Result[] results) {
        String name = info.output().name();
        if (!ServedModel.wanted(request, name)) {
            return List.of();
        }
        int width = results.length == 0 ? 0 : results[0].tensor().outputs().length;
        float[] values = new float[results.length * width];
        for (int row = 0; row < results.length; row++) {
            System.arraycopy(results[row].tensor().outputs(), 0, values, row * width, width);
        }
        return List.of(Tensor.fp32(name, shape(results.length, width), values));
    }

    /** The output's shape for {@code rows} rows of {@code width} numbers: as declared, or flat where it is open. */
    private long[] shape(int rows, int width) {
        List<Long> declared = info.outputRowShape();
        boolean known = declared.stream().allMatch(d -> d >= 0)
                && declared.stream().mapToLong(Long::longValue).reduce(1, Math::multiplyExact) == width;
        return info.shapeOf(rows, known ? declared : List.of((long) width));
    }
}
