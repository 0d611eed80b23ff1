package dev.mlpipe.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;

/**
 * A dataset's rows as they are read, a line at a time, pass after pass, row indexes from 0 on each. The first pass
 * reads the file; when its parsed rows fit in the {@link ReplayMemory} (an estimate of their bytes), they are kept and
 * the later passes replay them, else the file is opened again for each of the {@code repeat} passes; the memory is
 * given back when the rows end or are closed. Parsing text was the
 * loader's whole cost on a small repeated dataset (BENCHMARKS.md, real models). A line that does not parse is an
 * {@link DatasetRow.Unreadable} row with its reason, and reading goes on. One reader at a time, but {@link #close} may
 * come from any thread (a run cancelled while its loader reads): the file is let go of at once, and the rows end. A
 * failure to read the file itself is an {@link UncheckedIOException}.
 * <p>
 * A row is given as {@code R}, made from its parsed {@link DatasetRow} once: a replayed pass gives the first pass's
 * very objects rather than a new one a row each pass. What is kept for replay is counted as the parsed row's bytes, so
 * {@code R} must take no more.
 *
 * @param <R> what a row is given as
 */
public final class DatasetRows<R> implements Iterator<R>, AutoCloseable {

    private static final int SHOWN = 24; // at most this much of a bad cell is quoted back
    /** A kept row's bytes beside its numbers' (or its reason's): its objects' headers and references, a short label. */
    private static final int ROW_OVERHEAD = 96;
    /** The most distinct labels shared: a classifier's classes are few, and a dataset of other labels stops here. */
    private static final int SHARED_LABELS = 1024;

    private final Dataset dataset;
    private final int repeat;
    private final int columns;
    private final int labelColumn;
    private final int features;
    private final ReplayMemory memory;
    private final Function<DatasetRow, R> as;
    private BufferedReader reader;
    private int pass;
    private long row;
    private long line;
    private String pending;
    /** The first pass's rows as given, while they fit in memory; null when there is no later pass, or too many. */
    private List<R> kept;
    private long keptBytes;
    /** The rows the passes after the first replay, once the first has been kept whole; null until then. */
    private List<R> replay;
    private int replayed;
    private R pendingReplayed;
    /**
     * Each distinct label read, so that rows with the same label share one string: the model stage looks every row's
     * label up (the run's label numbers), and an equal string that is not the same one costs a comparison of its
     * bytes, a cache miss a row.
     */
    private final Map<String, String> labels = new HashMap<>();

    DatasetRows(Dataset dataset, int repeat, ReplayMemory memory, Function<DatasetRow, R> as) {
        this.as = as;
        this.dataset = dataset;
        this.repeat = repeat;
        this.columns = dataset.columns();
        this.labelColumn = dataset.labelColumn();
        this.features = dataset.features().size();
        this.memory = memory;
        this.kept = repeat > 1 ? new ArrayList<>() : null;
    }

    @Override
    public synchronized boolean hasNext() {
        try {
            while (pending == null && pendingReplayed == null && pass < repeat) {
                if (replay != null) {
                    if (replayed < replay.size()) {
                        pendingReplayed = replay.get(replayed++);
                    } else {
                        replayed = 0;
                        pass++;
                    }
                    continue;
                }
                if (reader == null) {
                    reader = Dataset.reader(dataset.opener(), dataset.origin());
                    Dataset.firstLine(reader);
                    line = 1;
                    row = 0;
                }
                String next = reader.readLine();
                line++;
                if (next == null) {
                    reader.close();
                    reader = null;
                    pass++;
                    if (kept != null) {
                        replay = kept;
                        kept = null;
                    }
                } else if (!next.isBlank()) {
                    pending = next;
                }
            }
            if (pass == repeat) {
                letGo();
            }
            return pending != null || pendingReplayed != null;
        } catch (IOException e) {
            throw new UncheckedIOException("dataset " + dataset.origin() + " cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized R next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (pendingReplayed != null) {
            R replayedRow = pendingReplayed;
            pendingReplayed = null;
            return replayedRow;
        }
        String text = pending;
        pending = null;
        DatasetRow parsed = parse(text, row++, line);
        R given = as.apply(parsed);
        if (kept != null) {
            keep(parsed, given);
        }
        return given;
    }

    private void keep(DatasetRow parsed, R given) {
        long bytes = ROW_OVERHEAD + (parsed instanceof DatasetRow.Features f ? (long) Float.BYTES * f.values().length
                : 2L * ((DatasetRow.Unreadable) parsed).reason().length());
        if (memory.take(bytes)) {
            keptBytes += bytes;
            kept.add(given);
        } else {
            letGo(); // too big to keep: every pass reads the file
        }
    }

    /** Gives back the memory of the kept rows, which are let go of: at the end, or once they do not fit. */
    private void letGo() {
        kept = null;
        replay = null;
        memory.give(keptBytes);
        keptBytes = 0;
    }

    private DatasetRow parse(String text, long index, long lineNumber) {
        float[] values = new float[features];
        String label = null;
        int column = 0;
        int feature = 0;
        int start = 0;
        int length = text.length();
        while (true) {
            int end = text.indexOf(',', start);
            if (end < 0) {
                end = length;
            }
            if (column >= columns) {
                return unreadable(index, lineNumber, "more than the header's " + columns + " columns");
            }
            if (column == labelColumn) {
                label = unquoted(text.substring(start, end).strip());
            } else {
                double value = CsvNumbers.parse(text, start, end);
                if (Double.isNaN(value)) {
                    return unreadable(index, lineNumber, "column " + dataset.features().get(feature) + " is "
                            + shown(text.substring(start, end).strip()) + ", not a number");
                }
                values[feature++] = (float) value;
            }
            column++;
            if (end == length) {
                break;
            }
            start = end + 1;
        }
        if (column < columns) {
            return unreadable(index, lineNumber, column + " columns where the header has " + columns);
        }
        return new DatasetRow.Features(index, values,
                label == null || label.isEmpty() ? Optional.empty() : Optional.of(shared(label)));
    }

    private String shared(String label) {
        String known = labels.get(label);
        if (known != null) {
            return known;
        }
        if (labels.size() < SHARED_LABELS) {
            labels.put(label, label);
        }
        return label;
    }

    private DatasetRow unreadable(long index, long lineNumber, String what) {
        return new DatasetRow.Unreadable(index, "dataset " + dataset.name() + ", line " + lineNumber + ": " + what);
    }

    private static String unquoted(String cell) {
        return cell.length() >= 2 && cell.startsWith("\"") && cell.endsWith("\"") ? cell.substring(1, cell.length() - 1)
                : cell;
    }

    private static String shown(String cell) {
        if (cell.isEmpty()) {
            return "empty";
        }
        return "'" + (cell.length() > SHOWN ? cell.substring(0, SHOWN) + "..." : cell) + "'";
    }

    @Override
    public synchronized void close() {
        pass = repeat;
        pending = null;
        pendingReplayed = null;
        letGo();
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // only read from, so nothing is lost
            }
            reader = null;
        }
    }
}
