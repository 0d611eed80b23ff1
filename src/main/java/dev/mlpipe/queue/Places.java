package dev.mlpipe.queue;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

import dev.mlpipe.observe.PipelineActivity;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * The places of the bounded queue. A loader takes one for each item it enqueues and the model gives it back when it
 * takes the item out, so the queue never holds more than its capacity. Loaders that find it full wait their turn in
 * FIFO order without holding a thread; a place is handed straight to the next waiter, so nobody can overtake them.
 */
final class Places {

    private static final Cancellable NOTHING_TO_CANCEL = () -> {
    };

    private final int capacity;
    private final PipelineActivity activity;
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>(); // guarded by this
    private int used; // guarded by this

    /** @param activity told every change of the places in use, which is the queue's depth */
    Places(int capacity, PipelineActivity activity) {
        this.capacity = capacity;
        this.activity = activity;
    }

    int capacity() {
        return capacity;
    }

    synchronized int used() {
        return used;
    }

    /** @return the depth including the new item, or -1 when the queue is full */
    synchronized int tryTake() {
        return used < capacity && waiters.isEmpty() ? taken() : -1;
    }

    /**
     * Calls {@code granted} with the depth including the new item once a place is free: at once if one is, otherwise on
     * the thread that frees one. A callback rather than a {@code Uni}: a Uni cancelled just as its place was granted
     * would drop the place, and the queue would shrink for good; here a granted place always reaches its loader.
     *
     * @return cancels the wait; it does nothing once the place has been granted
     */
    Cancellable take(IntConsumer granted) {
        Waiter waiter = null;
        int taken;
        synchronized (this) {
            taken = used < capacity && waiters.isEmpty() ? taken() : -1;
            if (taken < 0) {
                waiter = new Waiter(granted);
                waiters.add(waiter);
            }
        }
        if (waiter == null) {
            granted.accept(taken);
            return NOTHING_TO_CANCEL;
        }
        return waiter;
    }

    void giveBack() {
        while (true) {
            Waiter next;
            int level;
            synchronized (this) {
                next = waiters.poll();
                if (next == null) {
                    // an item that came from elsewhere (a broker, a test) took no place here and gives none back
                    used = Math.max(0, used - 1);
                    activity.depth(used);
                    return;
                }
                level = used;
            }
            if (next.grant(level)) {
                return;
            }
            // that loader was cancelled while it waited: offer the place to the one behind it
        }
    }

    private int taken() {
        activity.depth(++used);
        return used;
    }

    /** A waiting loader; settled exactly once, either by a place or by its cancellation. */
    private final class Waiter implements Cancellable {
        private final IntConsumer granted;
        private final AtomicBoolean settled = new AtomicBoolean();

        Waiter(IntConsumer granted) {
            this.granted = granted;
        }

        boolean grant(int depth) {
            if (!settled.compareAndSet(false, true)) {
                return false;
            }
            granted.accept(depth);
            return true;
        }

        @Override
        public void cancel() {
            if (settled.compareAndSet(false, true)) {
                synchronized (Places.this) {
                    waiters.remove(this);
                }
            }
        }
    }
}
