package dev.mlpipe.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import dev.mlpipe.run.History;
import dev.mlpipe.run.ResultRow;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

/**
 * One client's event stream, on its connection's event loop. What is ready goes out in one write (a write per event
 * would cost a system call per event); the client's socket sets the pace: while its write queue is full, nothing more
 * is read for it, which holds a lossless client's run back (the reader paces the loader). A live client gets at most
 * {@link #LIVE_BATCH} results per {@link #LIVE_INTERVAL_NANOS}, the newest, and a gap for the rest.
 * <p>
 * Never a silent end: the stream ends after the end event, or after a {@code disconnect} event that says why, which id
 * came last and how to resume (the client stalled for {@code mlpipe.stream.stall-timeout}, the service shuts down, the
 * events it needed were evicted).
 */
final class SseConnection implements History.Events {

    private static final Logger LOG = Logger.getLogger(SseConnection.class);

    /** Results per write for a lossless client: some 200 kB. */
    static final int BATCH = 512;
    static final int LIVE_BATCH = 200;
    static final long LIVE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /**
     * After a write, a stream reads again after this long rather than at every new result: while a run makes results
     * faster than that, its clients get them a few at a time, in a write and a wake-up per few events instead of per
     * event, which costs less CPU per delivered event in fan-out (BENCHMARKS.md, scenario 4). A stream that falls idle
     * gets its next result at once.
     */
    static final long LINGER_MILLIS = 5;

    /** Where the bytes go: the HTTP response, or a test's stand-in. */
    interface Wire {
        void write(Buffer bytes);

        /** Whether the client is behind: more than the write queue's high-water mark is unsent. */
        boolean full();

        /**
         * Bytes written that the socket has not taken yet: it goes down, a write at a time, as the client reads,
         * however slowly. Negative when the connection cannot tell.
         */
        long unsent();

        /** {@code drained} runs once, when a full write queue has emptied to its low-water mark. */
        void onDrain(Runnable drained);

        void end();
    }

    /** What a {@code disconnect} event says. */
    record Disconnect(String reason, long lastEventId, String message, String resume) {
    }

    private final Wire wire;
    private final Vertx vertx;
    private final Context context;
    private final SseWriter writer;
    private final Function<Object, String> json;
    private final String resumePath;
    private final long heartbeatNanos;
    private final long stallNanos;
    private final LongSupplier nanoTime;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable flush = this::flush;
    private final List<Runnable> onClose = new ArrayList<>(1);
    private History.Reader reader;

    // event loop only
    private boolean live;
    private boolean closed;
    private boolean awaitingDrain;
    private long lastWrite;
    private long lastFlush;
    /** Since when the socket has been full and the client has taken nothing off it; -1 when it is not stuck. */
    private long stuckSince = -1;
    private long unsentThen;
    private long timer = -1;
    private int results;

    /**
     * @param resumePath where a client resumes this stream, for the disconnect event's words
     * @param json how the disconnect event's data is written
     */
    SseConnection(Wire wire, Vertx vertx, Context context, SseWriter writer, Function<Object, String> json,
            String resumePath, long heartbeatMillis, long stallMillis) {
        this(wire, vertx, context, writer, json, resumePath, heartbeatMillis, stallMillis, System::nanoTime);
    }

    /** @param nanoTime the clock of heartbeats, stalls and a live client's pace: {@link System#nanoTime()}, or a test's */
    SseConnection(Wire wire, Vertx vertx, Context context, SseWriter writer, Function<Object, String> json,
            String resumePath, long heartbeatMillis, long stallMillis, LongSupplier nanoTime) {
        this.wire = wire;
        this.vertx = vertx;
        this.context = context;
        this.writer = writer;
        this.json = json;
        this.resumePath = resumePath;
        this.heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(heartbeatMillis);
        this.stallNanos = TimeUnit.MILLISECONDS.toNanos(stallMillis);
        this.nanoTime = nanoTime;
        this.lastWrite = nanoTime.getAsLong();
    }

    /** The reader's listener: there may be something to read; called on any thread. */
    void signal() {
        if (scheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> flush.run());
        }
    }

    /** On the event loop: starts the stream with a comment naming the run, and reads what is ready. */
    void open(History.Reader reader, String runId) {
        this.reader = reader;
        this.live = reader.mode() == History.Mode.LIVE;
        writer.comment("run " + runId);
        send();
        long tick = Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(heartbeatNanos, stallNanos)) / 4);
        timer = vertx.setPeriodic(tick, t -> tick());
        reader.open();
        signal();
    }

    /** The client went away, or the stream ended: the reader stops, and with it any pacing of the run. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        reader.close();
        onClose.forEach(Runnable::run);
    }

    /** Runs once the connection has closed, whyever it did. */
    void onClose(Runnable then) {
        onClose.add(then);
    }

    private void flush() {
        scheduled.set(false);
        if (closed || (awaitingDrain && reader.cutReason() == null)) {
            return; // a cut-off goes out even to a full socket: it is queued, and the connection ends
        }
        if (live) {
            long wait = lastFlush + LIVE_INTERVAL_NANOS - nanoTime.getAsLong();
            if (wait > 0 && scheduled.compareAndSet(false, true)) {
                vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)), t -> flush());
                return;
            }
            lastFlush = nanoTime.getAsLong();
        }
        int before = results;
        History.Outcome outcome = reader.read(this, live ? LIVE_BATCH : BATCH);
        send();
        switch (outcome) {
            case END -> finish();
            case CUT -> disconnect(reader.cutReason());
            case MORE -> {
                if (wire.full()) {
                    awaitDrain();
                } else {
                    signal(); // after the other connections of this event loop have had their turn
                }
            }
            case CAUGHT_UP -> {
                if (wire.full()) {
                    awaitDrain();
                } else if (results > before && scheduled.compareAndSet(false, true)) {
                    vertx.setTimer(LINGER_MILLIS, t -> flush());
                }
            }
        }
    }

    private void awaitDrain() {
        awaitingDrain = true;
        wire.onDrain(() -> {
            awaitingDrain = false;
            stuckSince = -1;
            signal();
        });
    }

    /**
     * Every quarter of the heartbeat (or of the stall timeout): a keep-alive when idle, a cut-off when stalled. A
     * client is stalled when its socket has been full for the stall timeout and it has taken no byte off it meanwhile;
     * one that reads slowly keeps its stream.
     */
    private void tick() {
        if (closed) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (wire.full()) {
            long unsent = wire.unsent();
            if (stuckSince < 0 || (unsent >= 0 && unsent < unsentThen)) {
                stuckSince = now;
                unsentThen = unsent;
            } else if (now - stuckSince >= stallNanos) {
                disconnect("stalled");
                return;
            }
        } else {
            stuckSince = -1;
        }
        if (now - lastWrite >= heartbeatNanos / 2) {
            writer.comment("keep-alive");
            send();
        }
    }

    private void disconnect(String reason) {
        long last = reader.lastEventId();
        String message = switch (reason) {
            case "stalled" -> "this client took nothing off its connection for " + TimeUnit.NANOSECONDS.toSeconds(stallNanos)
                    + " s (mlpipe.stream.stall-timeout) while events waited for it; the run goes on without waiting for it";
            case "shutdown" -> "the service is shutting down";
            case "evicted" -> "the events this client was still to read are no longer kept: the run was evicted "
                    + "(mlpipe.runs.retained), or its oldest results made room for newer ones (mlpipe.stream.history-memory)";
            default -> reason;
        };
        LOG.infof("an event-stream client of %s is cut off (%s) after event %d", resumePath, reason, last);
        String resume = "reconnect with Last-Event-ID: " + last + " (a browser's EventSource does so by itself), or "
                + "GET " + resumePath + "?lastEventId=" + last + "; events no longer kept are announced by a gap event";
        writer.event(0, "disconnect", json.apply(new Disconnect(reason, last, message, resume)));
        send();
        finish();
    }

    private void finish() {
        wire.end();
        close();
    }

    private void send() {
        if (writer.length() > 0) {
            wire.write(writer.take());
            lastWrite = nanoTime.getAsLong();
        }
    }

    @Override
    public void result(ResultRow row) {
        writer.result(row);
        results++;
    }

    @Override
    public void gap(String gapJson) {
        writer.event(0, "gap", gapJson);
    }

    @Override
    public void end(long id, String viewJson) {
        writer.event(id, "end", viewJson);
    }

    @Override
    public void stats(String viewJson) {
        writer.event(0, "stats", viewJson);
    }
}
