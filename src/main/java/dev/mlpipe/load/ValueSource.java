package dev.mlpipe.load;

import java.util.Arrays;
import java.util.PrimitiveIterator;
import java.util.SplittableRandom;

/** Where a run's values come from: random draws, or a list the client gave. */
public sealed interface ValueSource {

    /** The values in the order the loader takes them, for ever or until the list ends. */
    PrimitiveIterator.OfInt values();

    /** Uniform draws from {@code [min, max]}, both included, by {@code SplittableRandom(seed)}: a seed replays a run. */
    record RandomDraws(long seed, int min, int max) implements ValueSource {
        /**
         * The values {@code SplittableRandom(seed).longs(min, max + 1)} gives, drawn one by one rather than through the
         * stream: its iterator buffered each value, a tenth of an unpaced loader's thread.
         */
        @Override
        public PrimitiveIterator.OfInt values() {
            SplittableRandom random = new SplittableRandom(seed);
            long bound = max + 1L;
            return new PrimitiveIterator.OfInt() {
                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public int nextInt() {
                    return (int) random.nextLong(min, bound);
                }
            };
        }
    }

    /** The client's values, in order; kept as an {@code int[]}, four bytes a value. */
    record ListedItems(int[] items) implements ValueSource {
        @Override
        public PrimitiveIterator.OfInt values() {
            return Arrays.stream(items).iterator();
        }

        public int count() {
            return items.length;
        }
    }
}
