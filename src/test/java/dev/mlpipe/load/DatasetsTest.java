package dev.mlpipe.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    @TempDir
    Path dir;

    /** Room to replay any of these tests' datasets: their repeats replay the first pass (DatasetReplayTest). */
    static final long REPLAY_BYTES = 32L << 20;

    private Datasets datasets() {
        return new Datasets(Optional.of(dir), REPLAY_BYTES);
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name + ".csv"), text);
    }

    private static List<DatasetRow> all(Dataset dataset, int repeat) {
        List<DatasetRow> rows = new ArrayList<>();
        try (DatasetRows<DatasetRow> read = dataset.rows(repeat)) {
            read.forEachRemaining(rows::add);
        }
        return rows;
    }

    private static DatasetRow.Features features(DatasetRow row) {
        assertThat(row).isInstanceOf(DatasetRow.Features.class);
        return (DatasetRow.Features) row;
    }

    @Test
    void aLabelColumnAnywhereGivesEachRowItsLabel() throws IOException {
        write("mixed", "a,label,b\n1,cat,2.5\n-3,\"dog\",4e2\n");

        Dataset dataset = datasets().find("mixed");
        List<DatasetRow> rows = all(dataset, 1);

        assertThat(dataset.labelled()).isTrue();
        assertThat(dataset.features()).containsExactly("a", "b");
        assertThat(rows).hasSize(2);
        assertThat(features(rows.get(0)).values()).containsExactly(1f, 2.5f);
        assertThat(features(rows.get(0)).label()).contains("cat");
        assertThat(features(rows.get(1)).values()).containsExactly(-3f, 400f);
        assertThat(features(rows.get(1)).label()).contains("dog");
        assertThat(rows).extracting(DatasetRow::row).containsExactly(0L, 1L);
    }

    @Test
    void withoutALabelColumnEveryColumnIsAFeature() throws IOException {
        write("plain", "x0,x1,x2\r\n0.125,1,2\r\n\r\n3,4,5\r\n");

        Dataset dataset = datasets().find("plain");
        List<DatasetRow> rows = all(dataset, 1);

        assertThat(dataset.labelled()).isFalse();
        assertThat(dataset.features()).containsExactly("x0", "x1", "x2");
        assertThat(rows).as("the blank line is no row").hasSize(2);
        assertThat(features(rows.get(0)).values()).containsExactly(0.125f, 1f, 2f);
        assertThat(features(rows.get(0)).label()).isEmpty();
        assertThat(features(rows.get(1)).values()).containsExactly(3f, 4f, 5f);
    }

    @Test
    void everyLineEndReadsAsBufferedReaderReadsItAndALongLineIsReadWhole() throws IOException {
        String longLabel = "\u00e9".repeat(50_000); // 100,000 bytes: longer than the reader's buffer
        write("ends", "\n  \nx,label\r\n1,a\r2,b\n\r\n3," + longLabel + "\r\n4,\u00e9t\u00e9");
        List<DatasetRow> rows = all(datasets().find("ends"), 2);

        assertThat(rows).hasSize(8);
        for (int pass = 0; pass < 2; pass++) {
            List<DatasetRow> these = rows.subList(4 * pass, 4 * pass + 4);
            assertThat(these).extracting(row -> features(row).values()[0]).containsExactly(1f, 2f, 3f, 4f);
            assertThat(these).extracting(row -> features(row).label().orElseThrow())
                    .containsExactly("a", "b", longLabel, "\u00e9t\u00e9");
            assertThat(these).extracting(DatasetRow::row).containsExactly(0L, 1L, 2L, 3L);
        }
    }

    @Test
    void aBrokenRowInTheMiddleComesOutWithItsReasonAndTheRestAreRead() throws IOException {
        StringBuilder csv = new StringBuilder("f0,f1,label\n");
        for (int i = 0; i < 100; i++) {
            csv.append(i == 50 ? "50,fifty,0" : i + "," + (i * 0.5) + "," + (i % 10)).append('\n');
        }
        write("hundred", csv.toString());

        List<DatasetRow> rows = all(datasets().find("hundred"), 1);

        assertThat(rows).hasSize(100);
        assertThat(rows.get(50)).isEqualTo(new DatasetRow.Unreadable(50,
                "dataset hundred, line 52: column f1 is 'fifty', not a number"));
        assertThat(rows).filteredOn(DatasetRow.Features.class::isInstance).hasSize(99);
        assertThat(features(rows.get(51)).values()).containsExactly(51f, 25.5f);
        assertThat(features(rows.get(99)).label()).contains("9");
    }

    @Test
    void rowsOfTheWrongLengthAreUnreadable() throws IOException {
        write("ragged", "a,b\n1,2\n1\n1,2,3\n1,\n4,5\n");

        List<DatasetRow> rows = all(datasets().find("ragged"), 1);

        assertThat(rows).hasSize(5);
        assertThat(features(rows.get(0)).values()).containsExactly(1f, 2f);
        assertThat(rows.subList(1, 4)).containsExactly(
                new DatasetRow.Unreadable(1, "dataset ragged, line 3: 1 columns where the header has 2"),
                new DatasetRow.Unreadable(2, "dataset ragged, line 4: more than the header's 2 columns"),
                new DatasetRow.Unreadable(3, "dataset ragged, line 5: column b is empty, not a number"));
        assertThat(features(rows.get(4)).values()).containsExactly(4f, 5f);
    }

    @Test
    void repeatStartsAgainFromTheFirstRow() throws IOException {
        write("three", "v,label\n1,a\n2,b\n3,c\n");

        List<DatasetRow> rows = all(datasets().find("three"), 4);

        assertThat(rows).hasSize(12);
        assertThat(rows).extracting(DatasetRow::row).containsExactly(0L, 1L, 2L, 0L, 1L, 2L, 0L, 1L, 2L, 0L, 1L, 2L);
        assertThat(rows).extracting(row -> features(row).label().orElseThrow())
                .containsExactly("a", "b", "c", "a", "b", "c", "a", "b", "c", "a", "b", "c");
    }

    @Test
    void closingStopsEarly() throws IOException {
        write("three", "v\n1\n2\n3\n");

        try (DatasetRows<DatasetRow> rows = datasets().find("three").rows(1_000)) {
            rows.next();
            rows.close();
            assertThat(rows.hasNext()).isFalse();
        }
    }

    @Test
    void theShippedDigitsAreOnTheClasspath() {
        Dataset digits = new Datasets(Optional.empty(), REPLAY_BYTES).find("digits");
        List<DatasetRow> rows = all(digits, 1);

        assertThat(digits.origin()).isEqualTo("datasets/digits.csv on the classpath");
        assertThat(digits.features()).hasSize(64).startsWith("f0").endsWith("f63");
        assertThat(rows).hasSize(1_797).allMatch(DatasetRow.Features.class::isInstance);
        assertThat(features(rows.get(0)).label()).contains("0");
        assertThat(features(rows.get(0)).values()).startsWith(0f, 0f, 5f, 13f, 9f, 1f, 0f, 0f);
    }

    @Test
    void aFileInTheDirectoryStandsInForAShippedOne() throws IOException {
        write("digits", "only,label\n1,x\n");

        assertThat(datasets().find("digits").features()).containsExactly("only");
    }

    @Test
    void aNameMustBeANameNotAPath() throws IOException {
        write("ok", "a\n1\n");
        write("v1.2_final-B", "a\n1\n");
        write("x".repeat(64), "a\n1\n");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/inner.csv"), "a\n1\n");

        assertThat(datasets().find("ok").name()).isEqualTo("ok");
        assertThat(datasets().find("x".repeat(64)).name()).hasSize(64);
        assertThat(datasets().find("v1.2_final-B").name()).isEqualTo("v1.2_final-B");
        assertRefused("../ok", "dataset must not contain '..': it is a name, not a path");
        assertRefused("..", "dataset must not contain '..': it is a name, not a path");
        assertRefused("sub/inner", "dataset must not contain '/': it is a name, not a path");
        assertRefused("/etc/passwd", "dataset must not contain '/': it is a name, not a path");
        assertRefused("", "dataset must name a dataset");
        assertRefused(null, "dataset must name a dataset");
        assertRefused("a".repeat(65), "dataset must be a name of at most 64 characters");
        assertRefused("ok\\..\\x", "dataset must not contain '..': it is a name, not a path");
        assertRefused("ok copy", "dataset may hold only letters, digits, '.', '_' and '-'");
        assertRefused("unknown", "dataset unknown names no dataset: there is no unknown.csv among the shipped datasets"
                + " nor in " + dir);
    }

    @Test
    void aFileWithoutAUsableHeaderIsRefused() throws IOException {
        write("empty", "\n\n");
        write("labelonly", "label\n3\n");
        write("twolabels", "label,a,label\n1,2,3\n");

        assertRefused("empty", "dataset empty is empty (" + dir.resolve("empty.csv")
                + "): it needs a header row naming its columns");
        assertRefused("labelonly", "dataset labelonly has no feature columns (" + dir.resolve("labelonly.csv")
                + "): its header row names only [label]");
        assertRefused("twolabels", "dataset twolabels has more than one label column (" + dir.resolve("twolabels.csv") + ")");
    }

    private void assertRefused(String name, String message) {
        assertThatThrownBy(() -> datasets().find(name)).isInstanceOf(DatasetRefused.class).hasMessage(message);
    }
}
