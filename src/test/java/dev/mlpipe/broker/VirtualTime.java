package dev.mlpipe.broker;

import java.time.Duration;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose clock moves only when a test says ({@link #advance}): "nothing happens for 1.5 s" is then a fact
 * of the code, not of how soon the host ran a thread. Tasks run on the test's thread, in the order they fall due.
 */
final class VirtualTime extends AbstractExecutorService implements ScheduledExecutorService {

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long nowMs;
    private long made;

    /** Moves the clock on by {@code by}, running each task as its time comes, those it schedules meanwhile too. */
    synchronized void advance(Duration by) {
        long until = nowMs + by.toMillis();
        while (!tasks.isEmpty() && tasks.peek().dueMs <= until) {
            Task next = tasks.poll();
            nowMs = Math.max(nowMs, next.dueMs);
            next.run();
        }
        nowMs = until;
    }

    /** The virtual clock, as {@link System#nanoTime} reads the real one. */
    synchronized long nanoTime() {
        return TimeUnit.MILLISECONDS.toNanos(nowMs);
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        // a delay under a millisecond falls due at the next one, as a real scheduler's would have passed by then
        Task task = new Task(command, nowMs + (unit.toNanos(delay) + 999_999) / 1_000_000, made++);
        tasks.add(task);
        return task;
    }

    /** Runs at the next {@link #advance}, as a scheduler runs it as soon as its thread is free. */
    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.MILLISECONDS);
    }

    private final class Task extends FutureTask<Void> implements ScheduledFuture<Void> {
        final long dueMs;
        final long order;

        Task(Runnable command, long dueMs, long order) {
            super(command, null);
            this.dueMs = dueMs;
            this.order = order;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (VirtualTime.this) {
                return unit.convert(dueMs - nowMs, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public int compareTo(Delayed other) {
            Task that = (Task) other;
            return dueMs != that.dueMs ? Long.compare(dueMs, that.dueMs) : Long.compare(order, that.order);
        }
    }

    // what BrokerQueue does not use
    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }
}
