package dev.mlpipe.run;

import static dev.mlpipe.run.HistoryTest.CHUNK;
import static dev.mlpipe.run.HistoryTest.CHUNK_BYTES;
import static dev.mlpipe.run.HistoryTest.append;
import static dev.mlpipe.run.HistoryTest.complete;
import static dev.mlpipe.run.HistoryTest.reader;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The memory all runs' kept results share: what goes first when it is full, and what never goes. */
class HistoryBudgetTest {

    private final AtomicInteger allReaders = new AtomicInteger();
    private final ExecutorService otherThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        otherThread.shutdownNow();
    }

    private History history(String runId, int window, HistoryBudget budget) {
        return new History(runId, window, budget, String::valueOf, allReaders);
    }

    /** Every result a client that asks from the start would get now, and it leaves (it holds nothing back). */
    private static List<Long> readAll(History history) {
        HistoryTest.Client client = new HistoryTest.Client();
        History.Reader reader = reader(history, History.Mode.LOSSLESS, 0);
        client.drain(reader);
        reader.close();
        return client.results;
    }

    private static List<Long> seqs(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void theOldestFinishedRunIsEvictedFirstAndARunningRunKeepsItsPaceWindowAndAChunkBeyondTheBudget() {
        HistoryBudget budget = new HistoryBudget(CHUNK_BYTES * 3);
        History older = history("000000000001", 10, budget);
        complete(older, CHUNK);
        History newer = history("000000000002", 10, budget);
        complete(newer, CHUNK);
        History running = history("000000000003", 2 * CHUNK, budget);

        append(running, 1, 3 * CHUNK);
        assertThat(readAll(older)).as("the older finished run went first").isEmpty();
        assertThat(readAll(newer)).as("the newer one went next").isEmpty();
        assertThat(readAll(running)).containsExactlyElementsOf(seqs(1, 3 * CHUNK));

        append(running, 3 * CHUNK + 1, 4 * CHUNK);
        assertThat(readAll(running)).as("beyond the budget: its window and the chunk before it stay")
                .containsExactlyElementsOf(seqs(1, 4 * CHUNK));

        append(running, 4 * CHUNK + 1, 5 * CHUNK);
        assertThat(readAll(running)).as("what is older than that goes, oldest first")
                .containsExactlyElementsOf(seqs(CHUNK + 1, 5 * CHUNK));
    }

    @Test
    void aRunningRunKeepsWhatItsSlowestLosslessReaderHasStillToRead() {
        HistoryBudget budget = new HistoryBudget(CHUNK_BYTES * 2);
        History running = history("000000000001", 10, budget);
        HistoryTest.Client slow = new HistoryTest.Client();
        History.Reader reader = reader(running, History.Mode.LOSSLESS, 0);
        append(running, 1, 2 * CHUNK);
        reader.read(slow, 5);

        append(running, 2 * CHUNK + 1, 3 * CHUNK);
        append(running, 3 * CHUNK + 1, 4 * CHUNK); // its pace window alone would let the first chunk go

        slow.drain(reader);
        assertThat(slow.results).as("every result, though the run took twice its budget")
                .hasSize(4 * CHUNK).endsWith((long) 4 * CHUNK);
    }

    @Test
    void aForgottenRunGivesBackAllItTook() {
        HistoryBudget budget = new HistoryBudget(CHUNK_BYTES * 10);
        History kept = history("000000000001", 10, budget);
        append(kept, 1, CHUNK);
        long one = budget.used();
        History forgotten = history("000000000002", 10, budget);
        complete(forgotten, 3 * CHUNK);

        forgotten.forget();

        assertThat(budget.used()).isEqualTo(one);
        assertThat(readAll(forgotten)).isEmpty();
    }

    /**
     * The budget's lock is every run's: a reader's listener that ran under it (told of an eviction) would stall every
     * run's appends, and deadlock one that waits for a thread that wants the lock. Here the listener makes another
     * thread take the budget's lock, and waits for it.
     */
    @Test
    void theReadersOfAnEvictedRunAreToldOutsideTheBudgetsLockAndMayWaitForIt() {
        HistoryBudget budget = new HistoryBudget(CHUNK_BYTES * 2);
        History finished = history("000000000001", 10, budget);
        complete(finished, 2 * CHUNK);
        History running = history("000000000002", 10, budget);
        List<String> wrong = new CopyOnWriteArrayList<>();
        AtomicInteger told = new AtomicInteger();
        finished.reader(History.Mode.LOSSLESS, 0, () -> {
            told.incrementAndGet();
            if (Thread.holdsLock(budget) || Thread.holdsLock(running)) {
                wrong.add("told under a lock");
            }
            try {
                otherThread.submit(budget::used).get(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                wrong.add("another thread could not take the budget's lock while the listener waited");
            } catch (Exception e) {
                wrong.add(e.toString());
            }
        }).open();

        append(running, 1, CHUNK + 1); // takes the room of the finished run's oldest chunk

        assertThat(told).as("told its oldest results went").hasPositiveValue();
        assertThat(wrong).isEmpty();
    }
}
