package dev.mlpipe.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** A repeated dataset's later passes replay its first pass's parsed rows when they fit the bound, and read it if not. */
class DatasetReplayTest {

    private static final String CSV = "a,label,b\n1,cat,2.5\n\n-3,\"dog\",4e2\n7,bird,seven\n0.125,,1\n5,ant\n";
    private static final int REPEAT = 4;

    private final AtomicInteger opened = new AtomicInteger();

    private Dataset dataset(long replayBytes) {
        return dataset(new ReplayMemory(replayBytes));
    }

    private Dataset dataset(ReplayMemory memory) {
        byte[] bytes = CSV.getBytes(StandardCharsets.UTF_8);
        return Dataset.read("animals", "animals.csv", () -> {
            opened.incrementAndGet();
            return new ByteArrayInputStream(bytes);
        }, memory);
    }

    /** What an item is made of: the row's index, its numbers and label, or its reason. */
    private static List<String> items(Dataset dataset, int repeat) {
        List<String> items = new ArrayList<>();
        try (DatasetRows<DatasetRow> rows = dataset.rows(repeat)) {
            rows.forEachRemaining(row -> items.add(row instanceof DatasetRow.Features f
                    ? f.row() + " " + Arrays.toString(f.values()) + " " + f.label()
                    : row.row() + " unreadable: " + ((DatasetRow.Unreadable) row).reason()));
        }
        return items;
    }

    @Test
    void rowsWithTheSameLabelShareOneString() {
        byte[] bytes = "a,label\n1,cat\n2,dog\n3,cat\n4,\"cat\"\n".getBytes(StandardCharsets.UTF_8);
        Dataset dataset = Dataset.read("pets", "pets.csv", () -> new ByteArrayInputStream(bytes), new ReplayMemory(0));
        List<String> labels = new ArrayList<>();
        try (DatasetRows<DatasetRow> rows = dataset.rows(2)) {
            rows.forEachRemaining(row -> labels.add(((DatasetRow.Features) row).label().orElseThrow()));
        }

        assertThat(labels).containsExactly("cat", "dog", "cat", "cat", "cat", "dog", "cat", "cat");
        for (int i : new int[] { 2, 3, 4, 6, 7 }) {
            assertThat(labels.get(i)).as("row %d's label", i).isSameAs(labels.get(0));
        }
        assertThat(labels.get(5)).isSameAs(labels.get(1));
    }

    @Test
    void replayedPassesGiveExactlyTheRowsThatReadingEachPassGives() {
        List<String> streamed = items(dataset(0), REPEAT);
        int openedStreaming = opened.getAndSet(0);
        List<String> replayed = items(dataset(1 << 20), REPEAT);

        assertThat(openedStreaming).as("every pass reads the file").isEqualTo(REPEAT + 1); // +1: the header's read
        assertThat(opened).as("only the first pass reads the file").hasValue(1 + 1);
        assertThat(replayed).isEqualTo(streamed).hasSize(5 * REPEAT);
        assertThat(replayed.subList(0, 5)).containsExactly("0 [1.0, 2.5] Optional[cat]", "1 [-3.0, 400.0] Optional[dog]",
                "2 unreadable: dataset animals, line 5: column b is 'seven', not a number",
                "3 [0.125, 1.0] Optional.empty",
                "4 unreadable: dataset animals, line 7: 2 columns where the header has 3");
        assertThat(replayed.subList(15, 20)).isEqualTo(replayed.subList(0, 5));
    }

    @Test
    void aReplayedPassGivesTheFirstPassesRowsAsTheyWereMadeNotNewOnes() {
        List<Object> given = new ArrayList<>();
        AtomicInteger made = new AtomicInteger();
        try (DatasetRows<Object> rows = dataset(1 << 20).rows(REPEAT, row -> {
            made.incrementAndGet();
            return new Object[] { row };
        })) {
            rows.forEachRemaining(given::add);
        }

        assertThat(made).as("each row made once, on the first pass").hasValue(5);
        assertThat(given).hasSize(5 * REPEAT);
        for (int i = 5; i < given.size(); i++) {
            assertThat(given.get(i)).isSameAs(given.get(i % 5));
        }
    }

    @Test
    void aDatasetOverTheBoundIsReadOnEveryPass() {
        List<String> streamed = items(dataset(0), REPEAT);
        opened.set(0);

        List<String> overTheBound = items(dataset(300), REPEAT); // about 100 bytes a row: the third does not fit

        assertThat(opened).hasValue(REPEAT + 1);
        assertThat(overTheBound).isEqualTo(streamed);
    }

    @Test
    void runsShareTheBoundAndARunGivesItsShareBackAtItsEnd() {
        Dataset dataset = dataset(new ReplayMemory(1_000)); // one run's five rows fit (about 750 bytes), not two runs'
        List<String> streamed = items(dataset(0), REPEAT);
        opened.set(0);

        try (DatasetRows<DatasetRow> first = dataset.rows(REPEAT)) {
            for (int i = 0; i < 5; i++) {
                first.next(); // the first run keeps its first pass's rows
            }
            List<String> second = items(dataset, REPEAT);
            assertThat(opened).as("the second run, beside the first, reads every pass").hasValue(1 + REPEAT);
            assertThat(second).isEqualTo(streamed);
        }
        opened.set(0);
        assertThat(items(dataset, REPEAT)).isEqualTo(streamed);
        assertThat(opened).as("once the first has ended, a run replays again").hasValue(1);
    }

    @Test
    void closingDuringAReplayedPassEndsTheRows() {
        try (DatasetRows<DatasetRow> rows = dataset(1 << 20).rows(REPEAT)) {
            for (int i = 0; i < 7; i++) { // into the second pass, replayed
                rows.next();
            }
            rows.close();
            assertThat(rows.hasNext()).isFalse();
        }
    }
}
