package dev.mlpipe.observe;

/**
 * A level that changes over time (items in the queue, inferences in flight) and its integral over time, so that the
 * mean level over any interval is the difference of two readings divided by its length.
 */
public final class Occupancy {

    /** A reading: the integral up to {@code atUs}, in level x microseconds. */
    public record Reading(long atUs, long integral, int level) {

        /** Mean level between an earlier reading and this one. */
        public double meanSince(Reading earlier) {
            long span = atUs - earlier.atUs;
            return span <= 0 ? level : (double) (integral - earlier.integral) / span;
        }
    }

    private int level; // guarded by this
    private long integral; // guarded by this
    private long sinceUs = Clock.nowUs(); // guarded by this

    public synchronized void set(int newLevel) {
        advance();
        level = newLevel;
    }

    public synchronized void add(int delta) {
        advance();
        level += delta;
    }

    public synchronized int level() {
        return level;
    }

    public synchronized Reading read() {
        advance();
        return new Reading(sinceUs, integral, level);
    }

    private void advance() {
        long now = Clock.nowUs();
        integral += level * (now - sinceUs);
        sinceUs = now;
    }
}
