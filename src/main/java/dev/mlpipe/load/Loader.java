package dev.mlpipe.load;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

import dev.mlpipe.run.RunSpec;

/**
 * A run's source of values: uniform draws from {@code [min, max]} by {@code SplittableRandom(seed)}, or the run's
 * {@code items} in order. It ends right after the sentinel (which is loaded like any value), after {@code maxItems}
 * values, or at the end of the items. Values are drawn one at a time as the loader asks, so a loader that waits for
 * room in the queue draws nothing meanwhile.
 */
public final class Loader implements Iterator<Integer> {

    private final Iterator<Integer> source;
    private final int sentinel;
    private final long maxItems;
    private long drawn;
    private boolean sentinelDrawn;

    private Loader(Iterator<Integer> source, int sentinel, long maxItems) {
        this.source = source;
        this.sentinel = sentinel;
        this.maxItems = maxItems;
    }

    public static Loader of(RunSpec spec) {
        Iterator<Integer> source = spec.items() != null
                ? spec.items().iterator()
                : new SplittableRandom(spec.seed()).longs(spec.min(), spec.max() + 1L).mapToObj(v -> (int) v).iterator();
        return new Loader(source, spec.sentinel(), spec.maxItems());
    }

    @Override
    public boolean hasNext() {
        return !sentinelDrawn && drawn < maxItems && source.hasNext();
    }

    @Override
    public Integer next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int value = source.next();
        drawn++;
        sentinelDrawn = value == sentinel;
        return value;
    }
}
