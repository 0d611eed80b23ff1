package dev.mlpipe.queue;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.mlpipe.observe.PipelineActivity;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/**
 * The places of the bounded queue. A loader takes one for each item it enqueues and the model gives it back when it
 * takes the item out, so the queue never holds more than its capacity. Loaders that find it full wait their turn in
 * FIFO order without holding a thread; a place is handed straight to the next waiter, so nobody can overtake them.
 */
final class Places {

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

    /** Completes with the depth including the new item once a place is free. */
    Uni<Integer> take() {
        return Uni.createFrom().emitter(emitter -> {
            Waiter waiter = new Waiter(emitter);
            int taken;
            synchronized (this) {
                taken = used < capacity && waiters.isEmpty() ? taken() : -1;
                if (taken < 0) {
                    waiters.add(waiter);
                }
            }
            if (taken >= 0) {
                emitter.complete(taken);
            } else {
                emitter.onTermination(() -> abandon(waiter));
            }
        });
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

    private void abandon(Waiter waiter) {
        if (waiter.settle()) {
            synchronized (this) {
                waiters.remove(waiter);
            }
        }
    }

    /** A waiting loader; settled exactly once, either by a place or by its cancellation. */
    private static final class Waiter {
        private final UniEmitter<? super Integer> emitter;
        private final AtomicBoolean settled = new AtomicBoolean();

        Waiter(UniEmitter<? super Integer> emitter) {
            this.emitter = emitter;
        }

        boolean settle() {
            return settled.compareAndSet(false, true);
        }

        boolean grant(int depth) {
            if (!settle()) {
                return false;
            }
            emitter.complete(depth);
            return true;
        }
    }
}
