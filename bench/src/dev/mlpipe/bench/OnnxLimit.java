package dev.mlpipe.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * Scenario 8's limit: ONNX Runtime called directly in the harness's JVM on the shipped {@code digits} model and rows
 * (read from the application's own jar, so the same files as the service's), one intra-op thread, one reused direct
 * buffer per batch size: each call copies a batch of rows into it, wraps it in a tensor, runs, and reads the output.
 * The rows are taken in order and from the start again when too few are left for a batch (tools/digits/OnnxLimit.java
 * did it first, by CPU time; here by the wall clock, as mlpipe's side is timed).
 */
final class OnnxLimit implements AutoCloseable {

    static final String MODEL = "models/digits.onnx";
    static final String DATASET = "datasets/digits.csv";

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final String input;
    private final Set<String> output;
    private final float[] flat;
    private final int rows;
    private final int width;
    /** What the limit reads of each output, kept so that the read is not optimised away. */
    private float sink;

    private OnnxLimit(byte[] model, float[] flat, int rows, int width) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            this.session = env.createSession(model, options);
        }
        this.input = session.getInputNames().iterator().next();
        this.output = Set.of(session.getOutputNames().iterator().next());
        this.flat = flat;
        this.rows = rows;
        this.width = width;
    }

    /** The digits model and rows from the jar of the application {@code quarkusRun} starts. */
    static OnnxLimit digits(Path quarkusRun) throws Exception {
        try (ZipFile app = new ZipFile(appJar(quarkusRun.getParent().resolve("app")).toFile())) {
            byte[] model;
            try (InputStream in = app.getInputStream(app.getEntry(MODEL))) {
                model = in.readAllBytes();
            }
            String csv;
            try (InputStream in = app.getInputStream(app.getEntry(DATASET))) {
                csv = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String[] lines = csv.strip().split("\n");
            String[] header = lines[0].strip().split(",");
            int width = (int) java.util.Arrays.stream(header).filter(c -> !c.equals("label")).count();
            float[] flat = new float[(lines.length - 1) * width];
            for (int r = 1; r < lines.length; r++) {
                String[] cells = lines[r].strip().split(",");
                int f = 0;
                for (int c = 0; c < header.length; c++) {
                    if (!header[c].equals("label")) {
                        flat[(r - 1) * width + f++] = Float.parseFloat(cells[c]);
                    }
                }
            }
            return new OnnxLimit(model, flat, lines.length - 1, width);
        }
    }

    private static Path appJar(Path dir) throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path jar : jars) {
                try (ZipFile zip = new ZipFile(jar.toFile())) {
                    ZipEntry entry = zip.getEntry(MODEL);
                    if (entry != null && zip.getEntry(DATASET) != null) {
                        return jar;
                    }
                }
            }
        }
        throw new IllegalStateException("no jar in " + dir + " holds " + MODEL + " and " + DATASET);
    }

    /** Rows in one pass over the dataset. */
    int rows() {
        return rows;
    }

    /** Rows per second by the wall clock: {@code total} rows (at least) at {@code batch} rows a call. */
    double rowsPerSecond(int batch, int total) throws OrtException {
        FloatBuffer buffer = ByteBuffer.allocateDirect(batch * width * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        long[] shape = { batch, width };
        int at = 0;
        int done = 0;
        long began = System.nanoTime();
        while (done < total) {
            if (at + batch > rows) {
                at = 0;
            }
            buffer.clear();
            buffer.put(flat, at * width, batch * width).flip();
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, buffer, shape);
                    OrtSession.Result result = session.run(Map.of(input, tensor), output)) {
                sink += ((OnnxTensor) result.get(0)).getFloatBuffer().get(0);
            }
            at += batch;
            done += batch;
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        if (Float.isNaN(sink)) {
            Bench.log("    (the model's outputs summed to NaN)");
        }
        return done / seconds;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
