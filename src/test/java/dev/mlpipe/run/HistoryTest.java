package dev.mlpipe.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.mlpipe.model.Result;

/** What a run's readers get: every event or the newest, gaps for what they miss, the end, and why a stream is cut. */
class HistoryTest {

    static final int CHUNK = ResultChunk.SIZE;
    static final long CHUNK_BYTES = (long) CHUNK * ResultChunk.BYTES_PER_RESULT;

    private final AtomicInteger allReaders = new AtomicInteger();

    /** What a client would be sent, as lines: "result 3", "gap 1-5", "end 9", "stats". */
    static final class Client implements History.Events {
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
        return history("0000000000aa", window, new HistoryBudget(budgetBytes));
    }

    private History history(String runId, int window, HistoryBudget budget) {
        return new History(runId, window, budget, String::valueOf, allReaders);
    }

    static Result result(long seq) {
        return new Result("0000000000aa", seq, (int) seq, "high", 0.5, 1, 10, 20, 30, 30, 40, "w", 1, 1);
    }

    /** As a run appends: under its lock, then the readers are told. */
    static void append(History history, long from, long to) {
        synchronized (history) {
            for (long seq = from; seq <= to; seq++) {
                history.append(result(seq));
            }
            history.publish();
        }
        history.tellReaders();
    }

    /** A run whose {@code results} results all came back, and then its end. */
    static void complete(History history, long results) {
        append(history, 1, results);
        end(history, results + 1);
    }

    static void end(History history, long id) {
        synchronized (history) {
            history.end(id, "view");
        }
        history.tellReaders();
    }

    static History.Reader reader(History history, History.Mode mode, long lastEventId) {
        return history.reader(mode, lastEventId, () -> {
        }).open();
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
        end(history, 11);

        assertThat(client.drain(reader)).isEqualTo(History.Outcome.END);
        assertThat(client.results).containsExactlyElementsOf(seqs(1, 10));
        assertThat(client.seen).last().isEqualTo("end 11");
        assertThat(reader.lastEventId()).isEqualTo(11);
        assertThat(history.seenAll(11)).isTrue();
        assertThat(history.seenAll(10)).isFalse();
    }

    @Test
    void aReaderIsToldOnceAfterTheAppenderLetsItsLockGoNotWhileItHoldsIt() {
        History history = history(100, 1 << 20);
        List<Boolean> underTheRunsLock = new ArrayList<>();
        history.reader(History.Mode.LOSSLESS, 0, () -> underTheRunsLock.add(Thread.holdsLock(history))).open();

        append(history, 1, 5);
        history.tellReaders(); // nothing new since
        end(history, 6);

        assertThat(underTheRunsLock).as("told of the results, then of the end, each outside the lock")
                .containsExactly(false, false);
    }

    @Test
    void aReaderAfterALastEventIdGetsOnlyWhatFollowsIt() {
        History history = history(100, 1 << 20);
        append(history, 1, 20);
        Client client = new Client();

        client.drain(reader(history, History.Mode.LOSSLESS, 12));

        assertThat(client.results).containsExactlyElementsOf(seqs(13, 20));
    }

    @Test
    void aLosslessReaderHoldsTheLoaderAWindowAheadAndNoLongerOnceItLeaves() {
        History history = history(4, 1 << 20);
        History.Reader reader = reader(history, History.Mode.LOSSLESS, 0);
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
        History.Reader live = reader(history, History.Mode.LIVE, 0);
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
        HistoryBudget budget = new HistoryBudget(CHUNK_BYTES * 3);
        History old = history("000000000001", 4, budget);
        complete(old, 3 * CHUNK);
        History newer = history("000000000002", 4, budget);
        append(newer, 1, CHUNK + 1);

        Client late = new Client();
        History.Outcome outcome = late.drain(reader(old, History.Mode.LOSSLESS, 0));

        assertThat(late.seen.get(0)).startsWith("gap Gap[firstMissed=1, lastMissed=" + 2 * CHUNK + ",");
        assertThat(late.results).as("the newest chunk is kept").containsExactlyElementsOf(seqs(2 * CHUNK + 1, 3 * CHUNK));
        assertThat(outcome).isEqualTo(History.Outcome.END);
    }

    @Test
    void aLosslessReaderWhoseNextResultsAreEvictedIsCutOffSayingSo() {
        HistoryBudget budget = new HistoryBudget(CHUNK_BYTES * 2);
        History finished = history("000000000001", 10, budget);
        complete(finished, 2 * CHUNK);
        AtomicInteger told = new AtomicInteger();
        History.Reader slow = finished.reader(History.Mode.LOSSLESS, 0, told::incrementAndGet).open();
        Client client = new Client();
        slow.read(client, 5);

        History other = history("000000000002", 10, budget);
        append(other, 1, CHUNK + 1);

        assertThat(told).as("told its results went").hasPositiveValue();
        assertThat(client.drain(slow)).isEqualTo(History.Outcome.CUT);
        assertThat(slow.cutReason()).isEqualTo("evicted");
        assertThat(slow.lastEventId()).isEqualTo(5);
    }

    @Test
    void aReaderGetsOnlyTheNewestStats() {
        History history = history(100, 1 << 20);
        History.Reader reader = reader(history, History.Mode.LIVE, 0);
        history.publishStats("first");
        history.publishStats("second");
        Client client = new Client();

        reader.read(client, 10);

        assertThat(client.seen).containsExactly("stats second");
    }

    @Test
    void theServerCanEndEveryStreamOfARunSayingWhy() {
        History history = history(100, 1 << 20);
        History.Reader reader = reader(history, History.Mode.LOSSLESS, 0);
        append(history, 1, 3);

        history.cutAll("shutdown");

        assertThat(reader.read(new Client(), 10)).isEqualTo(History.Outcome.CUT);
        assertThat(reader.cutReason()).isEqualTo("shutdown");
    }
}
