package dev.mlpipe.model.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

/**
 * An ONNX model loaded in process by ONNX Runtime: one input (FP32 or INT64) fed rows of numbers, one FP32 output read
 * back as a row per input row.
 * <p>
 * {@link #run} takes a batch of rows and makes it one {@code session.run} on a {@code [rows, ...]} tensor when the
 * model's input has a batch dimension ({@link ModelInfo#batched()}), one call per row otherwise. A row of the wrong
 * length, or with a value an INT64 input cannot hold, fails alone before the call; a call that ONNX Runtime refuses is
 * made again row by row, so a row it refuses fails alone too. Each row's {@link RowOutcome} says which.
 * <p>
 * Concurrency: {@code run} may be called from several threads at once (ONNX Runtime's {@code session.run} is
 * thread-safe, and each call fills an input buffer of its own, taken from a pool and given back); each call runs on its
 * caller's thread and {@code intraOpThreads - 1} of ONNX Runtime's, so a model stage with {@code c} threads calling it
 * keeps up to {@code c * intraOpThreads} cores busy. Blocking: call it on a worker thread, never an event loop.
 * {@link #close} once no call is running.
 */
public final class OnnxModel implements AutoCloseable {

    /** The prefix of a location on the classpath, as in {@code classpath:models/digits.onnx}. */
    public static final String CLASSPATH = "classpath:";
    /** An INT64 input takes integers below this in magnitude: a float holds each of them exactly. */
    public static final float EXACT_INTEGERS = 0x1p24f;

    private final String location;
    private final OrtSession session;
    private final ModelInfo info;
    private final Set<String> outputNames;
    private final PinnedOutput pinned;
    private final InputBuffer.Pool buffers;
    private final LongAdder calls = new LongAdder();

    private OnnxModel(String location, OrtEnvironment environment, OrtSession session, ModelInfo info) {
        this.location = location;
        this.session = session;
        this.info = info;
        this.outputNames = Set.of(info.output().name());
        this.pinned = new PinnedOutput(info);
        this.buffers = new InputBuffer.Pool(environment, info);
    }

    /**
     * Loads the model at {@code location}: a file's path, or {@code classpath:} and a resource's name.
     *
     * @throws ModelUnusable when it is missing, is not a model ONNX Runtime loads, or has no input and output mlpipe
     *         can feed and read (the message names the location and says why)
     */
    public static OnnxModel open(String location, OnnxOptions options) {
        if (location.startsWith(CLASSPATH)) {
            String resource = location.substring(CLASSPATH.length());
            return load(location, modelBytes(location, resource), options);
        }
        return open(Path.of(location), options);
    }

    /** Loads the model in the file at {@code path}; see {@link #open(String, OnnxOptions)}. */
    public static OnnxModel open(Path path, OnnxOptions options) {
        if (!Files.isRegularFile(path)) {
            throw new ModelUnusable("model file " + path + " does not exist" + (Files.exists(path) ? " as a file" : ""));
        }
        try {
            return load(path.toString(), Files.readAllBytes(path), options);
        } catch (IOException e) {
            throw new ModelUnusable("model file " + path + " cannot be read: " + e.getMessage());
        }
    }

    private static byte[] modelBytes(String location, String resource) {
        ClassLoader loader = Optional.ofNullable(Thread.currentThread().getContextClassLoader())
                .orElse(OnnxModel.class.getClassLoader());
        URL url = loader.getResource(resource);
        if (url == null) {
            throw new ModelUnusable("model " + location + " is not on the classpath");
        }
        try (InputStream in = url.openStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ModelUnusable("model " + location + " cannot be read: " + e.getMessage());
        }
    }

    private static OnnxModel load(String location, byte[] model, OnnxOptions options) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions()) {
            sessionOptions.setIntraOpNumThreads(options.intraOpThreads());
            // a row the model refuses is an outcome with its reason, not a line ONNX Runtime prints on stderr per try
            sessionOptions.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            session = environment.createSession(model, sessionOptions);
        } catch (OrtException e) {
            throw new ModelUnusable("model " + location + " is not an ONNX model ONNX Runtime can load: "
                    + oneLine(e.getMessage()));
        }
        try {
            return new OnnxModel(location, environment, session, describe(location, session, options));
        } catch (RuntimeException | OrtException e) {
            closeQuietly(session);
            throw e instanceof ModelUnusable unusable ? unusable
                    : new ModelUnusable("model " + location + " cannot be read: " + oneLine(e.getMessage()));
        }
    }

    private static ModelInfo describe(String location, OrtSession session, OnnxOptions options) throws OrtException {
        Map<String, NodeInfo> inputs = session.getInputInfo();
        Map<String, NodeInfo> outputs = session.getOutputInfo();
        if (inputs.size() != 1) {
            throw new ModelUnusable("model " + location + " has " + inputs.size() + " inputs " + inputs.keySet()
                    + "; mlpipe feeds a model exactly one");
        }
        TensorSpec input = tensor(location, "input", chosen(location, "input", inputs, options.input()));
        TensorSpec output = tensor(location, "output", chosen(location, "output", outputs, options.output()));
        if (output.datatype() != Datatype.FP32) {
            throw new ModelUnusable("model " + location + ": output " + output.name() + " is " + output.datatype()
                    + "; mlpipe reads FP32 outputs");
        }
        List<Long> shape = input.shape();
        boolean batched = !shape.isEmpty() && shape.get(0) == -1;
        List<Long> row = batched ? shape.subList(1, shape.size()) : shape;
        if (row.contains(-1L)) {
            throw new ModelUnusable("model " + location + ": input " + input.name() + " has shape " + shape
                    + "; mlpipe feeds rows of one fixed shape, so only the first (batch) dimension may be open");
        }
        long length = row.stream().mapToLong(Long::longValue).reduce(1, Math::multiplyExact);
        if (length > Integer.MAX_VALUE / Long.BYTES) {
            throw new ModelUnusable("model " + location + ": input " + input.name() + " has shape " + shape
                    + ", more numbers in a row than mlpipe feeds");
        }
        return new ModelInfo(input, output, batched, (int) length);
    }

    private static Map.Entry<String, NodeInfo> chosen(String location, String what, Map<String, NodeInfo> nodes,
            Optional<String> name) {
        if (name.isEmpty()) {
            return nodes.entrySet().stream().findFirst()
                    .orElseThrow(() -> new ModelUnusable("model " + location + " has no " + what));
        }
        NodeInfo node = nodes.get(name.get());
        if (node == null) {
            throw new ModelUnusable("model " + location + " has no " + what + " named " + name.get() + " (its "
                    + what + "s: " + String.join(", ", nodes.keySet()) + ")");
        }
        return Map.entry(name.get(), node);
    }

    private static TensorSpec tensor(String location, String what, Map.Entry<String, NodeInfo> node) {
        if (!(node.getValue().getInfo() instanceof TensorInfo tensor)) {
            throw new ModelUnusable("model " + location + ": " + what + " " + node.getKey() + " is a "
                    + node.getValue().getInfo() + ", not a tensor");
        }
        Datatype datatype = switch (tensor.type) {
            case FLOAT -> Datatype.FP32;
            case INT64 -> Datatype.INT64;
            default -> throw new ModelUnusable("model " + location + ": " + what + " " + node.getKey() + " is "
                    + tensor.onnxType.name().replace("ONNX_TENSOR_ELEMENT_DATA_TYPE_", "")
                    + "; mlpipe feeds FP32 and INT64 inputs and reads FP32 outputs");
        };
        List<Long> shape = Arrays.stream(tensor.getShape()).map(d -> d < 0 ? -1 : d).boxed().toList();
        return new TensorSpec(node.getKey(), datatype, shape);
    }

    /** Where the model was loaded from, as given. */
    public String location() {
        return location;
    }

    public ModelInfo info() {
        return info;
    }

    /** How many times ONNX Runtime was called: a batch is one call, a row retried alone another. */
    public long calls() {
        return calls.sum();
    }

    /**
     * Runs the model on {@code rows}, each a flat row-major array of the input's numbers without the batch dimension
     * ({@link ModelInfo#rowLength()} of them), as one call when the input has a batch dimension. Rows are floats, copied
     * into the tensor in bulk; an INT64 input takes integers below 2^24 in magnitude, which floats hold exactly.
     *
     * @return each row's outcome, in the rows' order
     */
    public List<RowOutcome> run(List<float[]> rows) {
        RowOutcome[] outcomes = new RowOutcome[rows.size()];
        int[] fit = new int[rows.size()];
        int count = 0;
        for (int i = 0; i < outcomes.length; i++) {
            String wrong = unfit(rows.get(i));
            if (wrong == null) {
                fit[count++] = i;
            } else {
                outcomes[i] = new RowOutcome.Failed(wrong);
            }
        }
        if (info.batched() && count > 1) {
            try {
                runBatch(rows, fit, count, outcomes);
            } catch (OrtException | BatchUnread e) {
                for (int k = 0; k < count; k++) {
                    outcomes[fit[k]] = runAlone(rows.get(fit[k]));
                }
            }
        } else {
            for (int k = 0; k < count; k++) {
                outcomes[fit[k]] = runAlone(rows.get(fit[k]));
            }
        }
        return Arrays.asList(outcomes);
    }

    /** Why {@code row} cannot be the model's input, or null when it can. */
    private String unfit(float[] row) {
        if (row.length != info.rowLength()) {
            return "row has " + row.length + " values; input " + info.input().name() + " takes "
                    + info.rowLength() + " (shape " + info.rowShape() + ")";
        }
        if (info.input().datatype() == Datatype.INT64) {
            for (int j = 0; j < row.length; j++) {
                float v = row[j];
                if (v != Math.rint(v) || Math.abs(v) >= EXACT_INTEGERS) {
                    return "value " + v + " at " + j + " is not an integer below 2^24 in magnitude, as input "
                            + info.input().name() + " (INT64) takes from a row of floats";
                }
            }
        }
        return null;
    }

    private RowOutcome runAlone(float[] row) {
        try {
            RowOutcome[] outcome = new RowOutcome[1];
            runBatch(List.of(row), new int[] { 0 }, 1, outcome);
            return outcome[0];
        } catch (OrtException e) {
            return new RowOutcome.Failed("ONNX Runtime refused the row: " + oneLine(e.getMessage()));
        } catch (BatchUnread e) {
            return new RowOutcome.Failed(e.getMessage());
        }
    }

    /** One call on the rows {@code rows[fit[0..count)]}, whose outcomes it sets. */
    private void runBatch(List<float[]> rows, int[] fit, int count, RowOutcome[] outcomes) throws OrtException {
        InputBuffer buffer = buffers.take(count * info.rowLength());
        try {
            Map<String, OnnxTensor> input = buffer.fill(rows, fit, count);
            calls.increment();
            if (pinned.on() && pinned.run(session, buffer, input, fit, count, outcomes)) {
                return;
            }
            try (OrtSession.Result result = session.run(input, outputNames)) {
                readOutput(result.get(0), fit, count, outcomes);
            }
        } finally {
            buffers.give(buffer);
        }
    }

    private void readOutput(OnnxValue value, int[] fit, int count, RowOutcome[] outcomes) throws OrtException {
        if (!(value instanceof OnnxTensor tensor) || tensor.getInfo().type != OnnxJavaType.FLOAT) {
            throw new BatchUnread("output " + info.output().name() + " is not an FP32 tensor but " + value.getInfo());
        }
        long[] shape = tensor.getInfo().getShape();
        if (info.batched() && (shape.length == 0 || shape[0] != count)) {
            throw new BatchUnread("output " + info.output().name() + " has shape " + Arrays.toString(shape)
                    + ", not a row for each of the " + count + " input rows");
        }
        FloatBuffer floats = tensor.getFloatBuffer();
        int per = floats.remaining() / count;
        for (int k = 0; k < count; k++) {
            float[] row = new float[per];
            floats.get(row);
            outcomes[fit[k]] = new RowOutcome.Output(row);
        }
    }

    /** An output mlpipe cannot split into rows: the batch is retried row by row, and a row that still gets one fails. */
    private static final class BatchUnread extends RuntimeException {
        BatchUnread(String message) {
            super(message, null, false, false);
        }
    }

    private static String oneLine(String message) {
        return message == null ? "(no message)" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException ignored) {
            // the session is being given up because the model is unusable, which is what the caller hears about
        }
    }

    /**
     * Closes the session and the input tensors; the environment is ONNX Runtime's one for the whole process and stays.
     */
    @Override
    public void close() {
        buffers.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing model " + location + ": " + e.getMessage(), e);
        }
    }
}
