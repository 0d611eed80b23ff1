package dev.mlpipe.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.mlpipe.model.Result;

class HistoryTest {

    private final AtomicInteger allReaders = new AtomicInteger();

    /** What a client would be sent, as lines: "result 3", "gap 1-5", "end 9", "stats". */
    private static final class Client implements History.Events {
        final List<String> seen = new ArrayList<>();
        final List<Long> results = new ArrayList<>();

        @Override
        public void result(ResultRow row) {
            results.add(row.seq());
            seen.add("result " + row.seq());
        }

        @Override
        public void gap(String json) {
            seen.add("gap " + json);
        }

        @Override
        public void end(long id, String json) {
            seen.add("end " + id);
        }

        @Override
        public void stats(String json) {
            seen.add("stats " + json);
        }

        /** Reads until the reader has nothing more now. */
        History.Outcome drain(History.Reader reader) {
            History.Outcome outcome;
            do {
                outcome = reader.read(this, 3);
            } while (outcome == History.Outcome.MORE);
            return outcome;
        }
    }

    private History history(int window, long budgetBytes) {
        return new History("0000000000aa", window, new HistoryBudget(budgetBytes), String::valueOf, allReaders);
    }

    private static Result result(long seq) {
        return new Result("0000000000aa", seq, (int) seq, "high", 0.5, 1, 10, 20, 30, 30, 40, "w", 1, 1);
    }

    private static void append(History history, long from, long to) {
        for (long seq = from; seq <= to; seq++) {
            history.append(result(seq));
        }
        history.publish();
    }

    private static List<Long> seqs(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void aLosslessReaderGetsEveryResultInOrderThenTheEnd() {
        History history = history(100, 1 << 20);
        AtomicInteger signals = new AtomicInteger();
        History.Reader reader = history.reader(History.Mode.LOSSLESS, 0, signals::incrementAndGet).open();
        Client client = new Client();

        append(history, 1, 5);
        assertThat(signals).as("told there is something to read").hasPositiveValue();
        assertThat(client.drain(reader)).isEqualTo(History.Outcome.CAUGHT_UP);
        append(history, 6, 10);
        history.end(11, "view");

        assertThat(client.drain(reader)).isEqualTo(History.Outcome.END);
        assertThat(client.results).containsExactlyElementsOf(seqs(1, 10));
        assertThat(client.seen).last().isEqualTo("end 11");
        assertThat(reader.lastEventId()).isEqualTo(11);
        assertThat(history.seenAll(11)).isTrue();
        assertThat(history.seenAll(10)).isFalse();
    }

    @Test
    void aKeptResultHasTheBatchItRanIn() {
        History history = history(100, 1 << 20);
        long[][] batches = { { 5_000_000_000L, 3 }, { 5_000_000_000L, 3 }, { 5_000_000_000L, 3 }, { 5_000_000_001L, 1 },
                { 4_999_999_000L, 4096 } }; // from a broker, another worker's ids may be lower
        for (int i = 0; i < batches.length; i++) {
            history.append(new Result("0000000000aa", i + 1, 1, "low", 0.1, 1, 1, 1, 1, 1, 1, "w", batches[i][0],
                    (int) batches[i][1]));
        }
        history.publish();
        List<long[]> read = new ArrayList<>();
        History.Reader reader = history.reader(History.Mode.LOSSLESS, 0, () -> {
        }).open();
        reader.read(new History.Events() {
            public void result(ResultRow row) {
                read.add(new long[] { row.batchId(), row.batchSize() });
            }

            public void gap(String json) {
            }

            public void end(long id, String json) {
            }

            public void stats(String json) {
            }
        }, 10);

        assertThat(read).containsExactly(batches);
    }

        @Test
    void aReaderAfterALastEventIdGetsOnlyWhatFollowsIt() {
        History history = history(100, 1 << 20);
        append(history, 1, 20);
        Client client = new Client();

        client.drain(history.reader(History.Mode.LOSSLESS, 12, () -> {
        }).open());

        assertThat(client.results).containsExactlyElementsOf(seqs(13, 20));
    }

    @Test
    void theLoaderWaitsAWindowAheadOfTheSlowestLosslessReaderAndGoesOnOnceAQuarterIsRead() {
        History history = history(8, 1 << 20);
        History.Reader reader = history.reader(History.Mode.LOSSLESS, 0, () -> {
        }).open();
        AtomicInteger resumed = new AtomicInteger();

        assertThat(history.mayLoad(7, resumed::incrementAndGet)).isTrue();
        assertThat(history.mayLoad(8, resumed::incrementAndGet)).as("a window ahead").isFalse();
        append(history, 1, 8);
        Client client = new Client();
        reader.read(client, 1);
        assertThat(resumed).as("one read is not a quarter of the window").hasValue(0);
        reader.read(client, 1);
        assertThat(resumed).as("two are").hasValue(1);
        assertThat(history.mayLoad(9, resumed::incrementAndGet)).isTrue();
    }

    @Test
    void aLosslessReaderThatLeavesNoLongerHoldsTheLoader() {
        History history = history(4, 1 << 20);
        History.Reader reader = history.reader(History.Mode.LOSSLESS, 0, () -> {
        }).open();
        AtomicInteger resumed = new AtomicInteger();
        assertThat(history.mayLoad(4, resumed::incrementAndGet)).isFalse();

        reader.close();

        assertThat(resumed).hasValue(1);
        assertThat(history.mayLoad(1_000, resumed::incrementAndGet)).isTrue();
        assertThat(allReaders).hasValue(0);
    }

    @Test
    void aLiveReaderNeverHoldsTheLoaderAndSkipsToTheNewestWithAGapNamingWhatItSkipped() {
        History history = history(4, 1 << 20);
        History.Reader live = history.reader(History.Mode.LIVE, 0, () -> {
        }).open();
        assertThat(history.mayLoad(1_000, () -> {
        })).isTrue();
        append(history, 1, 10);
        Client client = new Client();

        live.read(client, 3);

        assertThat(client.seen).hasSize(4);
        assertThat(client.seen.get(0)).startsWith("gap Gap[firstMissed=1, lastMissed=7");
        assertThat(client.results).containsExactly(8L, 9L, 10L);
    }

    @Test
    void aReaderThatAsksForEvictedResultsIsToldWithAGapThenGetsTheKeptOnes() {
        HistoryBudget budget = new HistoryBudget(History.CHUNK * History.BYTES_PER_RESULT * 3L);
        History old = new History("000000000001", 4, budget, String::valueOf, allReaders);
        append(old, 1, 3 * History.CHUNK);
        old.end(3 * History.CHUNK + 1, "view");
        History newer = new History("000000000002", 4, budget, String::valueOf, allReaders);
        append(newer, 1, History.CHUNK + 1);

        assertThat(budget.used()).isLessThanOrEqualTo(budget.limit());
        Client late = new Client();
        History.Outcome outcome = late.drain(old.reader(History.Mode.LOSSLESS, 0, () -> {
        }).open());

        assertThat(late.seen.get(0)).startsWith("gap Gap[firstMissed=1, lastMissed=" + 2 * History.CHUNK + ",");
        assertThat(late.results).as("the newest chunk is kept")
                .containsExactlyElementsOf(seqs(2 * History.CHUNK + 1, 3 * History.CHUNK));
        assertThat(outcome).isEqualTo(History.Outcome.END);
    }

    @Test
    void theOldestFinishedRunIsEvictedFirstAndARunningRunKeepsItsPaceWindow() {
        long chunkBytes = (long) History.CHUNK * History.BYTES_PER_RESULT;
        HistoryBudget budget = new HistoryBudget(chunkBytes * 3);
        History finished = new History("000000000001", 10, budget, String::valueOf, allReaders);
        append(finished, 1, History.CHUNK);
        finished.end(History.CHUNK + 1, "view");
        History running = new History("000000000002", History.CHUNK, budget, String::valueOf, allReaders);

        append(running, 1, 3 * History.CHUNK);

        Client fromFinished = new Client();
        fromFinished.drain(finished.reader(History.Mode.LOSSLESS, 0, () -> {
        }).open());
        assertThat(fromFinished.results).as("the finished run went first").isEmpty();
        Client fromRunning = new Client();
        fromRunning.drain(running.reader(History.Mode.LOSSLESS, 0, () -> {
        }).open());
        assertThat(fromRunning.results).as("the running run keeps at least its window")
                .hasSizeGreaterThanOrEqualTo(History.CHUNK).endsWith((long) 3 * History.CHUNK);
    }

    @Test
    void aLosslessReaderWhoseNextResultsAreEvictedIsCutOffSayingSo() {
        long chunkBytes = (long) History.CHUNK * History.BYTES_PER_RESULT;
        HistoryBudget budget = new HistoryBudget(chunkBytes * 2);
        History finished = new History("000000000001", 10, budget, String::valueOf, allReaders);
        append(finished, 1, 2 * History.CHUNK);
        finished.end(2 * History.CHUNK + 1, "view");
        History.Reader slow = finished.reader(History.Mode.LOSSLESS, 0, () -> {
        }).open();
        Client client = new Client();
        slow.read(client, 5);

        History other = new History("000000000002", 10, budget, String::valueOf, allReaders);
        append(other, 1, History.CHUNK + 1);

        assertThat(client.drain(slow)).isEqualTo(History.Outcome.CUT);
        assertThat(slow.cutReason()).isEqualTo("evicted");
        assertThat(slow.lastEventId()).isEqualTo(5);
    }

    @Test
    void aReaderGetsOnlyTheNewestStats() {
        History history = history(100, 1 << 20);
        History.Reader reader = history.reader(History.Mode.LIVE, 0, () -> {
        }).open();
        history.publishStats("first");
        history.publishStats("second");
        Client client = new Client();

        reader.read(client, 10);

        assertThat(client.seen).containsExactly("stats second");
    }

    @Test
    void theServerCanEndEveryStreamOfARunSayingWhy() {
        History history = history(100, 1 << 20);
        History.Reader reader = history.reader(History.Mode.LOSSLESS, 0, () -> {
        }).open();
        append(history, 1, 3);

        history.cutAll("shutdown");

        assertThat(reader.read(new Client(), 10)).isEqualTo(History.Outcome.CUT);
        assertThat(reader.cutReason()).isEqualTo("shutdown");
    }

    @Test
    void aKeptResultTakesAboutSixtyBytes() {
        HistoryBudget budget = new HistoryBudget(1L << 30);
        History history = new History("000000000001", 10, budget, String::valueOf, allReaders);
        append(history, 1, 100_000);

        assertThat(budget.used() / 100_000.0).isLessThanOrEqualTo(History.BYTES_PER_RESULT * 1.01)
                .isLessThanOrEqualTo(100);
    }
}
