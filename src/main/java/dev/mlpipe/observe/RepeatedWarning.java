package dev.mlpipe.observe;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * A warning that anyone outside can make happen again and again (a rejected message, a failed sign-in): the first of a
 * burst is logged at once, the rest within the interval are counted and said in one line when it ends, so that a flood
 * of them is a line per interval, not a line each.
 */
public final class RepeatedWarning {

    private final Logger log;
    private final String what;
    private final long intervalNanos;
    private final String interval;
    /** Guarded by this. */
    private boolean said;
    private long quietUntil;
    private long unsaid;
    private String last;

    /** @param what what happened, plural, for the summary line: "rejected messages on the items queue" */
    public RepeatedWarning(Logger log, String what, Duration interval) {
        this.log = log;
        this.what = what;
        this.intervalNanos = interval.toNanos();
        this.interval = interval.toMillis() % 1000 == 0 ? interval.toSeconds() + " s" : interval.toMillis() + " ms";
    }

    /** @param line the warning; every piece of untrusted text in it already through {@link LogText} */
    public void warn(String line) {
        long now = System.nanoTime();
        synchronized (this) {
            if (unsaid == 0 && (!said || now - quietUntil >= 0)) {
                said = true;
                quietUntil = now + intervalNanos;
                log.warn(line);
                return;
            }
            if (unsaid++ == 0) {
                CompletableFuture.runAsync(this::summarise,
                        CompletableFuture.delayedExecutor(Math.max(0, quietUntil - now), TimeUnit.NANOSECONDS));
            }
            last = line;
        }
    }

    private void summarise() {
        long count;
        String line;
        synchronized (this) {
            count = unsaid;
            line = last;
            unsaid = 0;
            quietUntil = System.nanoTime() + intervalNanos;
        }
        log.warnf("%d more %s in the last %s; the last: %s", count, what, interval, line);
    }
}
