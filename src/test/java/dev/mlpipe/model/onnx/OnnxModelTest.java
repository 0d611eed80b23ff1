package dev.mlpipe.model.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.mlpipe.load.DatasetRow;
import dev.mlpipe.load.DatasetRows;
import dev.mlpipe.load.Datasets;
import dev.mlpipe.model.Prediction;

/**
 * The shipped digits model on its dataset, held to the golden outputs tools/digits/make_digits.py wrote, and the
 * tiny models it wrote for the other cases (an INT64 input, an input without a batch dimension).
 */
class OnnxModelTest {

    private static final String DIGITS = "classpath:models/digits.onnx";
    private static final double TOLERANCE = 1e-5;

    private static OnnxModel digits;
    private static List<DatasetRow.Features> rows;
    private static List<float[]> golden;
    private static List<String> goldenPredictions;

    @BeforeAll
    static void load() throws IOException {
        digits = OnnxModel.open(DIGITS, OnnxOptions.defaults());
        rows = new ArrayList<>();
        try (DatasetRows<DatasetRow> all = new Datasets(Optional.empty(), 0).find("digits").rows(1)) {
            all.forEachRemaining(row -> rows.add((DatasetRow.Features) row));
        }
        golden = new ArrayList<>();
        goldenPredictions = new ArrayList<>();
        List<String> lines = resourceLines("golden/digits.csv");
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            float[] probabilities = new float[10];
            for (int k = 0; k < 10; k++) {
                probabilities[k] = Float.parseFloat(cells[1 + k]);
            }
            golden.add(probabilities);
            goldenPredictions.add(cells[11]);
        }
    }

    @AfterAll
    static void close() {
        digits.close();
    }

    private static List<String> resourceLines(String resource) throws IOException {
        try (InputStream in = OnnxModelTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private static List<RowOutcome> runInBatches(OnnxModel model, List<float[]> inputs, int batch) {
        List<RowOutcome> outcomes = new ArrayList<>();
        for (int from = 0; from < inputs.size(); from += batch) {
            outcomes.addAll(model.run(inputs.subList(from, Math.min(inputs.size(), from + batch))));
        }
        return outcomes;
    }

    private static List<float[]> inputs() {
        return rows.stream().map(DatasetRow.Features::values).toList();
    }

    private static float[] output(RowOutcome outcome) {
        assertThat(outcome).isInstanceOf(RowOutcome.Output.class);
        return ((RowOutcome.Output) outcome).values();
    }

    private static void assertGolden(List<RowOutcome> outcomes) {
        OutputReading reading = OutputReading.of(digits.info());
        assertThat(outcomes).hasSize(1_797);
        for (int i = 0; i < outcomes.size(); i++) {
            float[] probabilities = output(outcomes.get(i));
            assertThat(probabilities).as("row %d", i).hasSize(10);
            for (int k = 0; k < 10; k++) {
                assertThat((double) probabilities[k]).as("row %d, p%d", i, k).isCloseTo(golden.get(i)[k], within(TOLERANCE));
            }
            assertThat(reading.predict(probabilities).label()).as("row %d", i).isEqualTo(goldenPredictions.get(i));
        }
    }

    @ParameterizedTest(name = "batches of {0}")
    @ValueSource(ints = { 1, 7, 64, 1_797 })
    void everyRowGivesTheGoldenOutputAndPredictionWhateverTheBatch(int batch) {
        long callsBefore = digits.calls();

        assertGolden(runInBatches(digits, inputs(), batch));
        assertThat(digits.calls() - callsBefore).as("one call per batch").isEqualTo((1_797 + batch - 1) / batch);
    }

    @Test
    void callersOnSeveralThreadsAtOnceEachGetTheirOwnRowsOutputs() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<RowOutcome>>> parts = new ArrayList<>();
            List<float[]> inputs = inputs();
            for (int part = 0; part < 4; part++) {
                int from = part * 450;
                List<float[]> slice = inputs.subList(from, Math.min(inputs.size(), from + 450));
                parts.add(pool.submit(() -> runInBatches(digits, slice, 7)));
            }
            List<RowOutcome> outcomes = new ArrayList<>();
            for (Future<List<RowOutcome>> part : parts) {
                outcomes.addAll(part.get());
            }
            assertGolden(outcomes);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theAccuracyOnTheDatasetIsTheScripts() throws IOException {
        Properties expected = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("golden/digits-accuracy.txt")) {
            expected.load(in);
        }
        OutputReading reading = OutputReading.of(digits.info());
        List<RowOutcome> outcomes = runInBatches(digits, inputs(), 64);
        int correct = 0;
        for (int i = 0; i < rows.size(); i++) {
            String label = rows.get(i).label().orElseThrow();
            if (reading.predict(output(outcomes.get(i))).label().equals(label)) {
                correct++;
            }
        }

        assertThat(rows).hasSize(Integer.parseInt(expected.getProperty("rows")));
        assertThat(correct).isEqualTo(Integer.parseInt(expected.getProperty("correct")));
        assertThat(String.format("%.6f", (double) correct / rows.size())).isEqualTo(expected.getProperty("accuracy"));
    }

    @Test
    void aBrokenRowInABatchFailsAloneWithItsReason() {
        List<float[]> batch = new ArrayList<>(inputs().subList(0, 8));
        batch.set(3, new float[63]);
        long callsBefore = digits.calls();

        List<RowOutcome> outcomes = digits.run(batch);

        assertThat(outcomes.get(3)).isEqualTo(new RowOutcome.Failed("row has 63 values; input input takes 64 (shape [64])"));
        for (int i : new int[] { 0, 1, 2, 4, 5, 6, 7 }) {
            assertThat((double) output(outcomes.get(i))[Integer.parseInt(goldenPredictions.get(i))])
                    .isCloseTo(golden.get(i)[Integer.parseInt(goldenPredictions.get(i))], within(TOLERANCE));
        }
        assertThat(digits.calls() - callsBefore).as("the other seven still ran as one call").isEqualTo(1);
    }

    @Test
    void theMetadataIsReadFromTheFile() {
        ModelInfo info = digits.info();

        assertThat(info.input()).isEqualTo(new TensorSpec("input", Datatype.FP32, List.of(-1L, 64L)));
        assertThat(info.output()).isEqualTo(new TensorSpec("probabilities", Datatype.FP32, List.of(-1L, 10L)));
        assertThat(info.batched()).isTrue();
        assertThat(info.rowLength()).isEqualTo(64);
        assertThat(OutputReading.of(info).kind()).isEqualTo(OutputReading.Kind.CLASSES);
    }

    @Test
    void anInt64InputIsFedAndARowItRefusesFailsAlone() {
        try (OnnxModel lookup = OnnxModel.open("classpath:models/int64-lookup.onnx", OnnxOptions.defaults())) {
            assertThat(lookup.info().input()).isEqualTo(new TensorSpec("ids", Datatype.INT64, List.of(-1L, 4L)));
            assertThat(lookup.info().output()).isEqualTo(new TensorSpec("sum", Datatype.FP32, List.of(-1L, 1L)));
            assertThat(OutputReading.of(lookup.info()).kind()).as("[N, 1] is one number, not classes")
                    .isEqualTo(OutputReading.Kind.RAW);

            List<RowOutcome> outcomes = lookup.run(List.of(new float[] { 1, 2, 3, 4 }, new float[] { 0, 0, 10, 0 },
                    new float[] { 9, 9, 0, -1 }, new float[] { 1.5f, 0, 0, 0 }, new float[] { 0x1p24f, 0, 0, 0 }));

            assertThat(output(outcomes.get(0))).containsExactly(15f);
            assertThat(outcomes.get(1)).isInstanceOfSatisfying(RowOutcome.Failed.class,
                    failed -> assertThat(failed.reason()).startsWith("ONNX Runtime refused the row: ").contains("10"));
            assertThat(output(outcomes.get(2))).as("-1 counts from the table's end, as Gather does").containsExactly(40.5f);
            assertThat(outcomes.get(3)).isEqualTo(new RowOutcome.Failed(
                    "value 1.5 at 0 is not an integer below 2^24 in magnitude, as input ids (INT64) takes from a row of floats"));
            assertThat(outcomes.get(4)).as("a float may have rounded it: 16,777,217 reads as 2^24").isEqualTo(
                    new RowOutcome.Failed("value 1.6777216E7 at 0 is not an integer below 2^24 in magnitude, as input "
                            + "ids (INT64) takes from a row of floats"));
            assertThat(lookup.calls()).as("a call for the batch of three, then one for each of them").isEqualTo(4);
        }
    }

    @Test
    void aModelWithoutABatchDimensionRunsOneRowPerCall() {
        try (OnnxModel noBatch = OnnxModel.open("classpath:models/no-batch.onnx", OnnxOptions.defaults())) {
            assertThat(noBatch.info().batched()).isFalse();
            assertThat(noBatch.info().input().shape()).containsExactly(3L);
            assertThat(noBatch.info().rowLength()).isEqualTo(3);

            List<RowOutcome> outcomes = noBatch.run(List.of(new float[] { 1, 2, 3 }, new float[] { -1, 0, 0.25f }));

            assertThat(output(outcomes.get(0))).containsExactly(2f, 4f, 6f);
            assertThat(output(outcomes.get(1))).containsExactly(-2f, 0f, 0.5f);
            assertThat(noBatch.calls()).isEqualTo(2);
        }
    }

    @Test
    void aMissingModelFileFailsWithASentenceNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nowhere.onnx");

        assertThatThrownBy(() -> OnnxModel.open(missing.toString(), OnnxOptions.defaults()))
                .isInstanceOf(ModelUnusable.class).hasMessage("model file " + missing + " does not exist");
        assertThatThrownBy(() -> OnnxModel.open("classpath:models/nowhere.onnx", OnnxOptions.defaults()))
                .isInstanceOf(ModelUnusable.class).hasMessage("model classpath:models/nowhere.onnx is not on the classpath");
    }

    @Test
    void aFileThatIsNotOnnxFailsWithASentenceNamingIt(@TempDir Path dir) throws IOException {
        Path text = Files.writeString(dir.resolve("notes.onnx"), "these are not the weights you are looking for\n");

        assertThatThrownBy(() -> OnnxModel.open(text.toString(), OnnxOptions.defaults()))
                .isInstanceOf(ModelUnusable.class)
                .hasMessageStartingWith("model " + text + " is not an ONNX model ONNX Runtime can load: ")
                .hasMessageNotContaining("\n");
    }

    @Test
    void anInputOrOutputNamedInTheOptionsMustBeTheModels() {
        assertThatThrownBy(() -> OnnxModel.open(DIGITS, new OnnxOptions(1, Optional.empty(), Optional.of("logits"))))
                .isInstanceOf(ModelUnusable.class)
                .hasMessage("model classpath:models/digits.onnx has no output named logits (its outputs: probabilities)");
        try (OnnxModel named = OnnxModel.open(DIGITS, new OnnxOptions(2, Optional.of("input"), Optional.of("probabilities")))) {
            assertThat(named.info()).isEqualTo(digits.info());
        }
    }

    @Test
    void theOutputsReadingCanBeSetOtherwise() {
        OutputReading raw = OutputReading.of(digits.info(), Optional.of(OutputReading.Kind.RAW), "mlpipe.models.digits.outputs");

        assertThat(raw.predict(new float[] { 0.1f, 0.9f })).isEqualTo(Prediction.NONE);
        assertThat(raw.why()).isEqualTo("set by mlpipe.models.digits.outputs");
        assertThat(OutputReading.of(digits.info(), Optional.empty(), "unused").predict(new float[] { 0.1f, 0.7f, 0.2f }))
                .isEqualTo(new Prediction("1", 0.7f, 1));
    }
}
