package dev.mlpipe.run;

import java.util.function.LongSupplier;

/**
 * The loader's gate: it may load while it is less than the pace window ({@code mlpipe.stream.history}) ahead of the
 * slowest lossless reader, so what such a reader has still to read is always among the newest results, which a running
 * run always keeps. A paused loader is resumed once the slowest has read a quarter of the window. Its lock is taken
 * alone, and the loader's resume runs after it is let go.
 */
final class PaceGate {

    private final int window;
    /** The position of the slowest lossless reader; {@link Long#MAX_VALUE} when there is none. */
    private final LongSupplier slowest;

    // guarded by this
    private volatile long limit = Long.MAX_VALUE; // the loader reads it without the lock
    private Runnable paused;
    private volatile long resumeAt = Long.MAX_VALUE;

    PaceGate(int window, LongSupplier slowest) {
        this.window = window;
        this.slowest = slowest;
    }

    /** The loader's quick look, once per item: whether it is well inside its window. */
    boolean within(long loaded) {
        return loaded < limit;
    }

    /** Items the loader may still load before it must look at its readers again, {@code loaded} being loaded. */
    long room(long loaded) {
        return Math.max(0, limit - loaded);
    }

    /**
     * Whether the loader may load another item, {@code loaded} of its items (those not dropped) having been loaded:
     * not while that is a window ahead of the slowest lossless reader. If not, {@code resume} runs once the slowest has
     * read a quarter of the window.
     */
    boolean mayLoad(long loaded, Runnable resume) {
        if (loaded < limit) {
            return true;
        }
        synchronized (this) {
            // the threshold is published before the readers' positions are read, and a reader publishes its position
            // before it reads the threshold: one of the two always sees the other, so no wake-up is missed
            resumeAt = loaded - window + Math.max(1, window / 4);
            paused = resume;
            limit = limitAt(slowest.getAsLong());
            if (loaded < limit) {
                paused = null;
                resumeAt = Long.MAX_VALUE;
                return true;
            }
            return false;
        }
    }

    /** A lossless reader starts at {@code position}: the loader rechecks at once. */
    synchronized void opened(long position) {
        limit = Math.min(limit, position + window);
    }

    /** A reader moved to {@code position}, or left ({@link Long#MAX_VALUE}): the loader goes on if it waited for it. */
    void moved(long position) {
        if (position < resumeAt) {
            return;
        }
        Runnable resume = null;
        synchronized (this) {
            if (paused != null) {
                long slowestNow = slowest.getAsLong();
                if (slowestNow >= resumeAt) {
                    limit = limitAt(slowestNow);
                    resume = paused;
                    paused = null;
                    resumeAt = Long.MAX_VALUE;
                }
            }
        }
        if (resume != null) {
            resume.run();
        }
    }

    private long limitAt(long position) {
        return position == Long.MAX_VALUE ? Long.MAX_VALUE : position + window;
    }
}
