package dev.mlpipe.load;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all runs together may keep of their datasets' parsed rows to replay them ({@code
 * mlpipe.datasets.replay-memory}): a run takes its share row by row as it keeps them, and gives it back when its rows
 * end or are closed. One bound for all, not one per run: a hundred active runs must not each hold a dataset.
 */
final class ReplayMemory {

    private final AtomicLong free;

    ReplayMemory(long bytes) {
        this.free = new AtomicLong(Math.max(0, bytes));
    }

    /** @return whether {@code bytes} were free, and are now the caller's */
    boolean take(long bytes) {
        long now;
        do {
            now = free.get();
            if (now < bytes) {
                return false;
            }
        } while (!free.compareAndSet(now, now - bytes));
        return true;
    }

    void give(long bytes) {
        free.addAndGet(bytes);
    }
}
