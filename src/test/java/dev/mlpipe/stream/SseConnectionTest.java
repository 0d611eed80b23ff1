package dev.mlpipe.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mlpipe.model.Result;
import dev.mlpipe.run.History;
import dev.mlpipe.run.HistoryBudget;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/** The connection's batching, back-pressure and cut-off, against a stand-in for the socket: no service needed. */
class SseConnectionTest {

    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();
    private final AtomicInteger readers = new AtomicInteger();
    /** Nanoseconds, moved by hand by the tests of the stall timeout. */
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final History history = new History("0000000000aa", 1_000, new HistoryBudget(1 << 24), String::valueOf,
            readers);

    /** A socket the test fills and drains at will. */
    static final class FakeWire implements SseConnection.Wire {
        final List<String> writes = new CopyOnWriteArrayList<>();
        final AtomicBoolean full = new AtomicBoolean();
        final AtomicReference<Runnable> drain = new AtomicReference<>();
        final AtomicBoolean ended = new AtomicBoolean();
        /** What the client has still to take; a test lowers it to play a client that reads. */
        final AtomicLong unsent = new AtomicLong(100_000);
        /** How often the connection asked how much is unsent: once a tick while the socket is full. */
        final AtomicInteger unsentAsked = new AtomicInteger();

        @Override
        public void write(Buffer bytes) {
            writes.add(bytes.toString(StandardCharsets.UTF_8));
        }

        @Override
        public boolean full() {
            return full.get();
        }

        @Override
        public long unsent() {
            unsentAsked.incrementAndGet();
            return unsent.get();
        }

        /**
         * Waits for two ticks of the connection's timer that see a full socket (the second began after this call, so
         * it saw the clock and the socket as the test left them), or for the stream's end.
         */
        void awaitTwoTicks() {
            int before = unsentAsked.get();
            await().atMost(Duration.ofSeconds(5)).until(() -> unsentAsked.get() >= before + 2 || ended.get());
        }

        @Override
        public void onDrain(Runnable drained) {
            drain.set(drained);
        }

        @Override
        public void end() {
            ended.set(true);
        }

        void drain() {
            full.set(false);
            Runnable drained = drain.getAndSet(null);
            if (drained != null) {
                drained.run();
            }
        }

        String all() {
            return String.join("", writes);
        }

        long count(String line) {
            return all().lines().filter(line::equals).count();
        }
    }

    @AfterEach
    void close() {
        vertx.close();
    }

    private SseConnection open(FakeWire wire, History.Mode mode, long stallMillis) {
        return open(wire, mode, stallMillis, System::nanoTime);
    }

    /** A connection whose heartbeat and stall timeout read {@code nanoTime}, its timer still ticking in real time. */
    private SseConnection open(FakeWire wire, History.Mode mode, long stallMillis, LongSupplier nanoTime) {
        SseConnection[] connection = new SseConnection[1];
        History.Reader reader = history.reader(mode, 0, () -> connection[0].signal());
        connection[0] = new SseConnection(wire, vertx, context, new SseWriter(ResultFields.parse("seq")), String::valueOf,
                "/api/runs/0000000000aa/events", 60_000, stallMillis, nanoTime);
        context.runOnContext(v -> connection[0].open(reader, "0000000000aa"));
        return connection[0];
    }

    private void append(long from, long to) {
        synchronized (history) {
            for (long seq = from; seq <= to; seq++) {
                history.append(new Result("0000000000aa", seq, 1, "low", 0.1, 1, 1, 1, 1, 1, 1, "w", 1, 1));
            }
            history.publish();
        }
        history.tellReaders();
    }

    @Test
    void eventsReadyTogetherGoOutInOneWriteAfterTheCommentNamingTheRun() {
        append(1, 100);
        FakeWire wire = new FakeWire();

        open(wire, History.Mode.LOSSLESS, 60_000);

        await().atMost(Duration.ofSeconds(5)).until(() -> wire.count("event: result") == 100);
        assertThat(wire.writes.get(0)).isEqualTo(": run 0000000000aa\n\n");
        assertThat(wire.writes).hasSize(2);
        assertThat(readers).hasValue(1);
    }

    @Test
    void aFullSocketStopsTheReadingUntilItDrainsAndALosslessClientHoldsItsRunMeanwhile() {
        FakeWire wire = new FakeWire();
        open(wire, History.Mode.LOSSLESS, 60_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> readers.get() == 1);
        wire.full.set(true); // whatever is written next fills the socket
        append(1, 2 * SseConnection.BATCH);

        await().atMost(Duration.ofSeconds(5)).until(() -> wire.drain.get() != null);
        assertThat(wire.count("event: result")).as("one batch, then it waits for the socket").isEqualTo(SseConnection.BATCH);
        assertThat(history.mayLoad(SseConnection.BATCH + 1_000, () -> {
        })).as("the loader is a window ahead of this client").isFalse();

        context.runOnContext(v -> wire.drain());
        await().atMost(Duration.ofSeconds(5)).until(() -> wire.count("event: result") == 2 * SseConnection.BATCH);
    }

    @Test
    void aClientThatTakesNothingForTheStallTimeoutIsToldWhyAndWhereToResumeThenCutOff() {
        FakeWire wire = new FakeWire();
        AtomicInteger resumed = new AtomicInteger();
        open(wire, History.Mode.LOSSLESS, 300, clock::get);
        append(1, 10);
        await().atMost(Duration.ofSeconds(5)).until(() -> wire.count("event: result") == 10);
        wire.full.set(true); // the client stops reading
        append(11, 20);
        await().atMost(Duration.ofSeconds(5)).until(() -> wire.count("event: result") == 20);
        assertThat(history.mayLoad(1_020, resumed::incrementAndGet)).as("it holds its run").isFalse();
        wire.awaitTwoTicks(); // stuck from now on

        clock.addAndGet(Duration.ofMillis(299).toNanos());
        wire.awaitTwoTicks();
        assertThat(wire.ended).as("within the stall timeout").isFalse();
        clock.addAndGet(Duration.ofMillis(1).toNanos());

        await().atMost(Duration.ofSeconds(5)).until(wire.ended::get);
        assertThat(wire.all()).contains("event: disconnect\ndata: Disconnect[reason=stalled, lastEventId=20, ",
                "mlpipe.stream.stall-timeout", "Last-Event-ID: 20");
        assertThat(readers).as("its reader is closed").hasValue(0);
        assertThat(resumed).as("and the run goes on").hasValue(1);
    }

    @Test
    void aClientThatReadsSlowlyButSteadilyIsNeverTakenForAStalledOne() {
        FakeWire wire = new FakeWire();
        open(wire, History.Mode.LOSSLESS, 300, clock::get);
        append(1, 10);
        await().atMost(Duration.ofSeconds(5)).until(() -> wire.count("event: result") == 10);
        wire.full.set(true);
        wire.awaitTwoTicks(); // stuck from now on

        // for four stall timeouts the socket stays full, but the client takes a few bytes within each
        for (int i = 0; i < 4; i++) {
            clock.addAndGet(Duration.ofMillis(299).toNanos());
            wire.unsent.addAndGet(-100);
            wire.awaitTwoTicks();
        }

        assertThat(wire.ended).as("still connected").isFalse();
        assertThat(wire.all()).doesNotContain("event: disconnect");
    }

    @Test
    void theStreamEndsRightAfterTheEndEvent() {
        FakeWire wire = new FakeWire();
        open(wire, History.Mode.LOSSLESS, 60_000);
        append(1, 3);
        history.end(4, "final view");
        history.tellReaders();

        await().atMost(Duration.ofSeconds(5)).until(wire.ended::get);
        assertThat(wire.all()).endsWith("id: 4\nevent: end\ndata: final view\n\n");
        assertThat(readers).hasValue(0);
    }

    @Test
    void aLiveClientGetsTheNewestResultsAtMostABatchAtATimeAndAGapForTheRest() {
        FakeWire wire = new FakeWire();
        open(wire, History.Mode.LIVE, 60_000);
        append(1, 5_000);
        history.end(5_001, "final view");
        history.tellReaders();

        await().atMost(Duration.ofSeconds(5)).until(wire.ended::get);
        assertThat(wire.count("event: result")).isLessThanOrEqualTo(2L * SseConnection.LIVE_BATCH);
        assertThat(wire.all()).contains("event: gap", "id: 5000\nevent: result").endsWith("event: end\ndata: final view\n\n");
    }
}
