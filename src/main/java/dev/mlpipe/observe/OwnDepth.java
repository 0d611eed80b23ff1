package dev.mlpipe.observe;

/**
 * One run's items in its model's queue, as a level kept with its integral over time and its highest value: the queue
 * tells {@link PipelineActivity} of each item that enters or leaves (taken, expired, discarded), so the level is exact
 * whatever order items leave in (priorities, deadlines). A counter rather than Little's law over queue waits: a wait
 * is known only once the item is back, and a maximum not at all. Guarded by the activity it belongs to.
 */
public final class OwnDepth {

    /** Integral in items x microseconds since the run's start. */
    public record Reading(long atUs, long integral, int level, int max) {

        /** Mean items of the run in the queue between the run's start and this reading. */
        public double meanSince(long startUs) {
            long span = atUs - startUs;
            return span <= 0 ? level : (double) integral / span;
        }
    }

    private int level;
    private int max;
    private long integral;
    private long sinceUs;

    OwnDepth(long startUs) {
        this.sinceUs = startUs;
    }

    /** {@code delta} items of the run entered (above 0) or left (below 0) the queue at {@code atUs}. */
    void change(long atUs, int delta) {
        advance(atUs);
        level = Math.max(0, level + delta);
        max = Math.max(max, level);
    }

    Reading read(long atUs) {
        advance(atUs);
        return new Reading(sinceUs, integral, level, max);
    }

    private void advance(long atUs) {
        if (atUs > sinceUs) {
            integral += level * (atUs - sinceUs);
            sinceUs = atUs;
        }
    }
}
