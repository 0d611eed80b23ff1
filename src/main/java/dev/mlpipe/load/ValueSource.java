package dev.mlpipe.load;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;
import java.util.SplittableRandom;

import dev.mlpipe.queue.TensorRow;

/**
 * Where a run's values come from: for the simulated model, numbers (random draws, or a list the client gave); for a
 * tensor model, rows of numbers (random draws, a list, or a dataset read as it is loaded).
 */
public sealed interface ValueSource {

    /** The simulated model's values. */
    sealed interface Numbers extends ValueSource {
        /** The values in the order the loader takes them, for ever or until the list ends. */
        PrimitiveIterator.OfInt values();
    }

    /** A tensor model's rows. */
    sealed interface Rows extends ValueSource {
        /** The rows in the order the loader takes them, for ever or until the list or dataset ends. */
        Iterator<TensorRow> rows();
    }

    /** Uniform draws from {@code [min, max]}, both included, by {@code SplittableRandom(seed)}: a seed replays a run. */
    record RandomDraws(long seed, int min, int max) implements Numbers {
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
    record ListedItems(int[] items) implements Numbers {
        @Override
        public PrimitiveIterator.OfInt values() {
            return Arrays.stream(items).iterator();
        }

        public int count() {
            return items.length;
        }
    }

    /** Rows of {@code length} numbers drawn uniformly from {@code [min, max)} by {@code SplittableRandom(seed)}. */
    record RandomRows(long seed, int length, double min, double max) implements Rows {
        @Override
        public Iterator<TensorRow> rows() {
            SplittableRandom random = new SplittableRandom(seed);
            return new Iterator<>() {
                private long row;

                @Override
                public boolean hasNext() {
                    return true;
                }

                @Override
                public TensorRow next() {
                    float[] values = new float[length];
                    for (int i = 0; i < length; i++) {
                        values[i] = (float) (min == max ? min : random.nextDouble(min, max));
                    }
                    return new TensorRow.Values(row++, values, null);
                }
            };
        }
    }

    /** The client's rows, in order. */
    record ListedRows(float[][] items) implements Rows {
        @Override
        public Iterator<TensorRow> rows() {
            return new Iterator<>() {
                private int row;

                @Override
                public boolean hasNext() {
                    return row < items.length;
                }

                @Override
                public TensorRow next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    int at = row++;
                    return new TensorRow.Values(at, items[at], null);
                }
            };
        }

        public int count() {
            return items.length;
        }
    }

    /**
     * A dataset's rows, read as they are loaded, {@code repeat} passes over it; a row that does not parse is an
     * {@link TensorRow.Unreadable} one, which fails in its place.
     */
    record DatasetPasses(Dataset dataset, int repeat) implements Rows {
        /** The rows as the file is read; closing them lets go of the file at once ({@link Values#close}). */
        @Override
        public Iterator<TensorRow> rows() {
            return dataset.rows(repeat, DatasetPasses::tensorRow);
        }

        private static TensorRow tensorRow(DatasetRow row) {
            if (row instanceof DatasetRow.Features features) {
                return new TensorRow.Values(features.row(), features.values(), features.label().orElse(null));
            }
            DatasetRow.Unreadable unreadable = (DatasetRow.Unreadable) row;
            return new TensorRow.Unreadable(unreadable.row(), unreadable.reason());
        }
    }
}
