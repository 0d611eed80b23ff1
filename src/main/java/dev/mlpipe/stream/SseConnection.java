package dev.mlpipe.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.mlpipe.run.RunEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

/**
 * One client's event stream. Events that are ready together go out in one write (a write per event caps a stream at
 * tens of thousands of events per second); a lone event still goes out at once. The client's socket sets the pace: at
 * most {@link #IN_FLIGHT} events wait for it, and no more are pulled while its write queue is full, so a slow client
 * holds up nobody else.
 */
final class SseConnection implements Flow.Subscriber<RunEvent> {

    static final int IN_FLIGHT = 256;

    private final HttpServerResponse response;
    private final Vertx vertx;
    private final Context context;
    private final long heartbeatNanos;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Flow.Subscription subscription;

    // guarded by this: filled by whichever thread publishes, emptied on the connection's event loop
    private List<RunEvent> pending = new ArrayList<>();
    private boolean flushScheduled;
    private boolean ended;

    // event-loop only: the text of a flush; events are turned into text here, off the pipeline's threads
    private final StringBuilder chunk = new StringBuilder();
    // event-loop only
    private long owed;
    private boolean awaitingDrain;
    private long lastWrite = System.nanoTime();
    private long heartbeatTimer = -1;

    SseConnection(HttpServerResponse response, Vertx vertx, long heartbeatMillis) {
        this.response = response;
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.heartbeatNanos = TimeUnit.MILLISECONDS.toNanos(heartbeatMillis);
    }

    /** Called on the request's event loop: sends the headers at once, so a client knows it is connected. */
    void open(String runId) {
        response.setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        response.closeHandler(v -> close());
        response.exceptionHandler(e -> close());
        write(": run " + runId + "\n\n");
        long tick = Math.max(1, TimeUnit.NANOSECONDS.toMillis(heartbeatNanos) / 2);
        heartbeatTimer = vertx.setPeriodic(tick, t -> {
            if (!closed.get() && System.nanoTime() - lastWrite >= heartbeatNanos / 2) {
                write(": keep-alive\n\n");
            }
        });
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (closed.get()) {
            s.cancel();
        } else {
            s.request(IN_FLIGHT);
        }
    }

    @Override
    public void onNext(RunEvent event) {
        boolean schedule;
        synchronized (this) {
            if (ended) {
                return; // nothing follows the end event
            }
            pending.add(event);
            ended |= event.isEnd();
            schedule = !flushScheduled;
            flushScheduled = true;
        }
        if (schedule) {
            context.runOnContext(v -> flush());
        }
    }

    @Override
    public void onError(Throwable failure) {
        context.runOnContext(v -> {
            if (!closed.get()) {
                response.reset();
            }
            close();
        });
    }

    @Override
    public void onComplete() {
        synchronized (this) {
            ended = true;
            if (flushScheduled) {
                return;
            }
            flushScheduled = true;
        }
        context.runOnContext(v -> flush());
    }

    private void flush() {
        List<RunEvent> events;
        boolean end;
        synchronized (this) {
            events = pending;
            pending = new ArrayList<>(Math.min(IN_FLIGHT, events.size() * 2 + 1));
            end = ended;
            flushScheduled = false;
        }
        if (closed.get()) {
            return;
        }
        if (!events.isEmpty()) {
            chunk.setLength(0);
            for (RunEvent event : events) {
                if (event.hasId()) {
                    chunk.append("id: ").append(event.id()).append('\n');
                }
                chunk.append("event: ").append(event.type()).append("\ndata: ").append(event.data()).append("\n\n");
            }
            write(chunk.toString());
        }
        if (end) {
            response.end();
            close();
            return;
        }
        owed += events.size();
        if (!response.writeQueueFull()) {
            repay();
        } else if (!awaitingDrain) {
            awaitingDrain = true;
            response.drainHandler(v -> {
                awaitingDrain = false;
                repay();
            });
        }
    }

    private void repay() {
        long n = owed;
        owed = 0;
        if (n > 0) {
            subscription.request(n);
        }
    }

    private void write(String text) {
        response.write(text);
        lastWrite = System.nanoTime();
    }

    private void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (heartbeatTimer >= 0) {
            vertx.cancelTimer(heartbeatTimer);
        }
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
    }
}
