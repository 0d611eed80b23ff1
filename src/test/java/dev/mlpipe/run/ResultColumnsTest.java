package dev.mlpipe.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mlpipe.model.Result;
import dev.mlpipe.queue.Expired;
import dev.mlpipe.queue.Failed;
import dev.mlpipe.queue.Item;

/** How a run's results are kept: field by field in columns, and counted in the budget as the columns take memory. */
class ResultColumnsTest {

    private static final String RUN = "0000000000aa";

    private final HistoryBudget budget = new HistoryBudget(1L << 30);
    private final ResultColumns columns = new ResultColumns(RUN, budget, 10, () -> Long.MAX_VALUE, () -> {
    });

    {
        budget.started(columns);
    }

    private List<ResultRow> read(long from, long to) {
        List<ResultRow> rows = new ArrayList<>();
        for (long p = from; p < to; p++) {
            ResultChunk chunk = columns.chunk(p);
            ChunkRow row = columns.row().at(chunk, p);
            rows.add(row);
        }
        return rows;
    }

    @Test
    void aKeptResultHasEveryFieldItCameWithAndTheBatchItRanIn() {
        long[][] batches = { { 5_000_000_000L, 3 }, { 5_000_000_000L, 3 }, { 5_000_000_001L, 1 },
                { 4_999_999_000L, 4096 } }; // from a broker, another worker's ids may be lower
        for (int i = 0; i < batches.length; i++) {
            columns.append(new Result(RUN, i + 1, 40 + i, i % 2 == 0 ? "high" : "low", 0.25, 7, 100, 200, 300, 400,
                    500 + i, "gpu-" + (i % 2), batches[i][0], (int) batches[i][1]));
        }
        columns.publish();

        List<ResultRow> rows = read(0, batches.length);

        for (int i = 0; i < batches.length; i++) {
            ResultRow row = rows.get(i);
            assertThat(row.runId()).isEqualTo(RUN);
            assertThat(row.seq()).isEqualTo(i + 1);
            assertThat(row.value()).isEqualTo(40 + i);
            assertThat(row.high()).isEqualTo(i % 2 == 0);
            assertThat(row.expired()).isFalse();
            assertThat(row.scoreTenThousandths()).isEqualTo(2500);
            assertThat(row.queueDepth()).isEqualTo(7);
            assertThat(new long[] { row.loadedUs(), row.enqueuedUs(), row.dequeuedUs(), row.startedUs(),
                    row.finishedUs() }).containsExactly(100, 200, 300, 400, 500 + i);
            assertThat(row.worker()).isEqualTo("gpu-" + (i % 2));
            assertThat(new long[] { row.batchId(), row.batchSize() }).containsExactly(batches[i]);
        }
    }

    @Test
    void anItemThatExpiredIsKeptInItsPlaceWithItsTimesUpToWhenItLeftTheQueue() {
        columns.append(new Result(RUN, 1, 1, "low", 0.5, 1, 10, 20, 30, 30, 40, "w", 1, 1));
        Item item = new Item(RUN, 2, 9, 0, 3, 5, 100, 150, 4);
        columns.append(new Expired(item, 5_150));
        columns.publish();

        ResultRow row = read(1, 2).get(0);

        assertThat(row.expired()).isTrue();
        assertThat(row.seq()).isEqualTo(2);
        assertThat(row.value()).isEqualTo(9);
        assertThat(row.queueDepth()).isEqualTo(4);
        assertThat(new long[] { row.loadedUs(), row.enqueuedUs(), row.dequeuedUs(), row.startedUs(), row.finishedUs() })
                .containsExactly(100, 150, 5_150, 5_150, 5_150);
    }

    @Test
    void nothingIsReadableBeforeItIsPublished() {
        columns.append(new Result(RUN, 1, 1, "low", 0.5, 1, 10, 20, 30, 30, 40, "w", 1, 1));
        assertThat(columns.published()).isZero();

        assertThat(columns.publish()).isTrue();
        assertThat(columns.publish()).as("nothing new").isFalse();
        assertThat(columns.published()).isEqualTo(1);
    }

    /**
     * The budget is only as good as its count: what it says the kept results take is what their columns hold, measured
     * on the arrays themselves (a column added or widened without the count following makes this fail), and a short
     * run takes a small first chunk rather than a whole one. What a kept result takes on the heap, everything counted,
     * is the benchmark's figure (bench/, scenario 7).
     */
    @Test
    void theBudgetCountsWhatTheColumnsOfTheKeptResultsTake() throws IllegalAccessException {
        for (int seq = 1; seq <= 10; seq++) {
            columns.append(new Result(RUN, seq, 1, "low", 0.5, 1, 10, 20, 30, 30, 40, "w", 1, 1));
        }
        columns.publish();
        assertThat(budget.used()).as("a short run").isEqualTo(columnBytes()).isLessThan(ResultChunk.SIZE * 10L);

        int results = 10 * ResultChunk.SIZE + 100;
        for (int seq = 11; seq <= results; seq++) {
            columns.append(new Result(RUN, seq, 1, "low", 0.5, 1, 10, 20, 30, 30, 40, "w", 1, 1));
        }
        columns.publish();

        assertThat(budget.used()).isEqualTo(columnBytes());
    }

    /** The bytes of every column array of every kept chunk, without the arrays' headers. */
    private long columnBytes() throws IllegalAccessException {
        long bytes = 0;
        for (long position = columns.firstKept(); position < columns.published(); position += ResultChunk.SIZE) {
            ResultChunk chunk = columns.chunk(position);
            for (Field field : ResultChunk.class.getDeclaredFields()) {
                Class<?> type = field.getType();
                if (type.isArray() && type.getComponentType().isPrimitive() && !Modifier.isStatic(field.getModifiers())
                        && field.get(chunk) != null) {
                    bytes += (long) Array.getLength(field.get(chunk)) * sizeOf(type.getComponentType());
                }
            }
        }
        return bytes;
    }

    private static int sizeOf(Class<?> primitive) {
        return primitive == long.class || primitive == double.class ? 8
                : primitive == int.class || primitive == float.class ? 4
                        : primitive == short.class || primitive == char.class ? 2 : 1;
    }

    @Test
    void aFailedItemKeepsItsReasonAndTheDistinctReasonsOfARunAreBounded() {
        int failures = 2 * ResultColumns.MAX_REASONS + 10;
        for (int i = 0; i < failures; i++) {
            Item item = Item.loaded(RUN, i + 1, i, 0, 100).enqueued(200, 1);
            // every other failure repeats the first reason: repeats take no room of their own
            String reason = i % 2 == 1 ? "the same reason" : "reason " + i;
            columns.append(new Failed(item, 300, reason));
        }
        columns.publish();

        List<ResultRow> rows = read(0, failures);

        assertThat(rows.get(0).failed()).isTrue();
        assertThat(rows.get(0).expired()).isFalse();
        assertThat(rows.get(0).failureReason()).isEqualTo("reason 0");
        assertThat(rows.get(1).failureReason()).isEqualTo("the same reason");
        assertThat(rows.get(2).failureReason()).isEqualTo("reason 2");
        assertThat(rows.get(2).dequeuedUs()).as("when it failed").isEqualTo(300);
        // 1,024 distinct reasons are kept: the first reason beyond them says it was not kept, and so do later ones
        long distinctKept = rows.stream().map(ResultRow::failureReason).distinct().count();
        assertThat(distinctKept).isEqualTo(ResultColumns.MAX_REASONS + 1);
        assertThat(rows.get(failures - 2).failureReason()).isEqualTo(ResultColumns.REASONS_FULL);
        assertThat(rows.get(failures - 1).failureReason()).as("a reason kept before still reads back")
                .isEqualTo("the same reason");
    }
}
