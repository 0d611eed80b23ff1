package dev.mlpipe.load;

import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.OptionalInt;
import java.util.PrimitiveIterator;
import java.util.stream.IntStream;

import dev.mlpipe.queue.TensorRow;

/**
 * A run's values as its loader takes them (numbers with {@link #nextInt}, or a tensor model's rows with
 * {@link #nextRow}): from its {@link ValueSource}, ending right after the sentinel (which is
 * loaded like any value), after {@code maxItems} values, or at the end of a list. Drawn one at a time as the loader
 * asks, so a loader that waits draws nothing meanwhile. Once the last is drawn it lets go of its source, so a listed
 * run's values are not kept while its last items wait for room, nor for as long as anything holds its loader; a
 * dataset's file is closed then, or at {@link #close} when the run ends first.
 */
public final class Values implements PrimitiveIterator.OfInt, AutoCloseable {

    private static final PrimitiveIterator.OfInt NONE = IntStream.empty().iterator();

    private PrimitiveIterator.OfInt source; // the loader's thread only
    private Iterator<TensorRow> rows; // the loader's thread only; null for numbers
    /** What holds a file open (a dataset's rows), closed from any thread; null when nothing does. */
    private final AutoCloseable open;
    private final boolean hasSentinel;
    private final int sentinel;
    private final long maxItems;
    private long drawn;
    private boolean sentinelDrawn;

    /** @param sentinel the value that ends the run, or empty for a run of exactly maxItems values (or the whole list) */
    public Values(ValueSource source, OptionalInt sentinel, long maxItems) {
        if (source instanceof ValueSource.Rows tensors) {
            this.source = NONE;
            this.rows = tensors.rows();
            this.open = rows instanceof AutoCloseable closeable ? closeable : null;
        } else {
            this.source = ((ValueSource.Numbers) source).values();
            this.open = null;
        }
        this.hasSentinel = sentinel.isPresent();
        this.sentinel = sentinel.orElse(0);
        this.maxItems = maxItems;
    }

    @Override
    public boolean hasNext() {
        return !sentinelDrawn && drawn < maxItems && (rows == null ? source.hasNext() : rows.hasNext());
    }

    /** Whether it gives rows ({@link #nextRow}) rather than numbers. */
    public boolean ofRows() {
        return rows != null;
    }

    /** The next row of a tensor model's run. */
    public TensorRow nextRow() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        TensorRow row = rows.next();
        drawn++;
        if (!hasNext()) {
            rows = Collections.emptyIterator();
            close(); // maxItems reached before the dataset's end: its file is not needed any more
        }
        return row;
    }

    /**
     * Lets go of the file the rows are read from, at once; no row comes after. May be called from any thread, while
     * the loader draws (a run ending): the draw then ends the rows early or fails, and the stopped loader ignores it.
     */
    @Override
    public void close() {
        if (open != null) {
            try {
                open.close();
            } catch (Exception ignored) {
                // only read from, so nothing is lost
            }
        }
    }

    @Override
    public int nextInt() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int value = source.nextInt();
        drawn++;
        sentinelDrawn = hasSentinel && value == sentinel;
        if (!hasNext()) {
            source = NONE;
        }
        return value;
    }
}
