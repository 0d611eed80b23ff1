import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.mlpipe.load.DatasetRow;
import dev.mlpipe.load.DatasetRows;
import dev.mlpipe.load.Datasets;
import dev.mlpipe.model.onnx.OnnxModel;
import dev.mlpipe.model.onnx.OnnxOptions;

/**
 * Issue 26's limit: ONNX Runtime called directly in a loop on the digits' rows (intra-op threads 1, one reused direct
 * buffer, after a warm-up) at batch 1, 8, 32 and 64, rows per second of the calling thread's CPU time; beside it, the same rows through {@link OnnxModel#run}
 * (rows as float[], outcomes per row), interleaved limit, model, limit, model, medians; and how fast
 * {@link DatasetRows} reads the shipped dataset. A one-off probe until bench/ takes it over:
 *
 * <pre>
 * ./mvnw -B -q compile
 * java -cp target/classes:$HOME/.m2/repository/com/microsoft/onnxruntime/onnxruntime/1.29.0/onnxruntime-1.29.0.jar \
 *     tools/digits/OnnxLimit.java [rounds] [seconds-per-measure]
 * </pre>
 */
public class OnnxLimit {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 1;
        List<float[]> rows = new ArrayList<>();
        try (DatasetRows<DatasetRow> read = new Datasets(Optional.empty(), 0).find("digits").rows(1)) {
            read.forEachRemaining(row -> rows.add(((DatasetRow.Features) row).values()));
        }
        float[] flat = new float[rows.size() * 64];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < 64; j++) {
                flat[i * 64 + j] = (float) rows.get(i)[j];
            }
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        byte[] bytes = OnnxLimit.class.getClassLoader().getResourceAsStream("models/digits.onnx").readAllBytes();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(bytes, options);
                    OnnxModel model = OnnxModel.open("classpath:models/digits.onnx", OnnxOptions.defaults())) {
                System.out.printf("cores %d, load %s%n", Runtime.getRuntime().availableProcessors(), load());
                System.out.println("rows per second of the calling thread's CPU time (median of " + rounds + ", all); "
                        + "in parentheses, per wall-clock second (medians: limit, model, ratio)");
                System.out.println("batch  limit                                     OnnxModel.run                             ratio");
                for (int batch : new int[] { 1, 8, 32, 64 }) {
                    limit(env, session, flat, rows.size(), batch, 0.5); // warm-up
                    model(model, rows, batch, 0.5);
                    double[][] limits = new double[2][rounds];
                    double[][] models = new double[2][rounds];
                    for (int r = 0; r < rounds; r++) {
                        record(limits, r, limit(env, session, flat, rows.size(), batch, seconds));
                        record(models, r, model(model, rows, batch, seconds));
                    }
                    System.out.printf("%5d  %9.0f %-31s %9.0f %-31s %.2f  (wall: %.0f, %.0f, %.2f)%n", batch,
                            median(limits[0]), thousands(limits[0]), median(models[0]), thousands(models[0]),
                            median(models[0]) / median(limits[0]), median(limits[1]), median(models[1]),
                            median(models[1]) / median(limits[1]));
                }
            }
        }
        double[][] reads = new double[2][rounds];
        for (int r = 0; r < rounds; r++) {
            record(reads, r, datasetRead(50, seconds));
        }
        System.out.printf("DatasetRows on digits.csv from the classpath: %.0f rows per CPU-second (median, %s; wall %.0f)%n",
                median(reads[0]), thousands(reads[0]), median(reads[1]));
        System.out.printf("load %s%n", load());
    }

    /** Rows/s of ONNX Runtime alone: the batch's rows copied into one direct buffer, a tensor over it, run, output read. */
    static double[] limit(OrtEnvironment env, OrtSession session, float[] flat, int count, int batch, double seconds)
            throws Exception {
        FloatBuffer input = ByteBuffer.allocateDirect(batch * 64 * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        long[] shape = { batch, 64 };
        Set<String> outputs = Set.of("probabilities");
        int[] at = { 0 };
        return rate(seconds, () -> {
            int from = next(at, batch, count);
            input.clear();
            input.put(flat, from * 64, batch * 64).flip();
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, shape);
                    OrtSession.Result result = session.run(Map.of("input", tensor), outputs)) {
                sink += ((OnnxTensor) result.get(0)).getFloatBuffer().get(0);
            }
            return batch;
        });
    }

    /** Rows/s through OnnxModel.run, batches as sublists of the dataset's rows. */
    static double[] model(OnnxModel model, List<float[]> rows, int batch, double seconds) throws Exception {
        int[] at = { 0 };
        return rate(seconds, () -> {
            int from = next(at, batch, rows.size());
            return model.run(rows.subList(from, from + batch)).size();
        });
    }

    static double[] datasetRead(int repeat, double seconds) throws Exception {
        Datasets datasets = new Datasets(Optional.empty(), 0);
        return rate(seconds, () -> {
            int done = 0;
            try (DatasetRows<DatasetRow> rows = datasets.find("digits").rows(repeat)) {
                while (rows.hasNext()) {
                    rows.next();
                    done++;
                }
            }
            return done;
        });
    }

    static float sink; // what the limit reads of each output, kept so that the read is not optimised away

    interface Step {
        /** @return how many rows it did */
        int run() throws Exception;
    }

    /** Repeats {@code step} for {@code seconds} of this thread's CPU time: rows per CPU-second, and per wall second. */
    static double[] rate(double seconds, Step step) throws Exception {
        long done = 0;
        long start = cpuNanos();
        long wall = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            done += step.run();
            now = cpuNanos();
        } while (now < end);
        return new double[] { done / ((now - start) / 1e9), done / ((System.nanoTime() - wall) / 1e9) };
    }

    /** The first row of the next batch, from the start again when the rows left are too few. */
    static int next(int[] at, int batch, int count) {
        if (at[0] + batch > count) {
            at[0] = 0;
        }
        int from = at[0];
        at[0] += batch;
        return from;
    }

    /**
     * The calling thread's CPU time: ONNX Runtime with one intra-op thread runs on it, so rows per CPU-second is its
     * rate without the time the host's other work takes the core away (garbage collection, on other threads, is not
     * counted).
     */
    static long cpuNanos() {
        return THREADS.getCurrentThreadCpuTime();
    }

    static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    static void record(double[][] rates, int round, double[] rate) {
        rates[0][round] = rate[0];
        rates[1][round] = rate[1];
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    static String thousands(double[] values) {
        return Arrays.stream(values).mapToObj(v -> String.format("%.0fk", v / 1e3)).toList().toString();
    }

    static String load() throws Exception {
        return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
    }
}
