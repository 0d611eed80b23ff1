package dev.mlpipe.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A CSV dataset: a header row naming its columns, the feature columns and, anywhere among them, an optional
 * {@code label} column; then one row per line. Read as it is used, a pass at a time ({@link #rows}); a run's first pass
 * is kept parsed for its later ones only within the {@link ReplayMemory} all runs share, so a big dataset is never held
 * whole.
 */
public final class Dataset {

    public static final String LABEL = "label";
    private static final int BUFFER = 1 << 16;

    private final String name;
    private final String origin;
    private final Datasets.Opener opener;
    private final List<String> features;
    private final int columns;
    private final int labelColumn;
    private final ReplayMemory memory;

    private Dataset(String name, String origin, Datasets.Opener opener, ReplayMemory memory, List<String> header) {
        this.name = name;
        this.origin = origin;
        this.opener = opener;
        this.memory = memory;
        this.columns = header.size();
        this.labelColumn = header.indexOf(LABEL);
        this.features = header.stream().filter(column -> !column.equals(LABEL)).toList();
    }

    /** @param memory where a run keeps its first pass's parsed rows to replay them */
    static Dataset read(String name, String origin, Datasets.Opener opener, ReplayMemory memory) {
        String header;
        try (BufferedReader reader = reader(opener, origin)) {
            header = firstLine(reader);
        } catch (IOException e) {
            throw new DatasetRefused(name + " cannot be read (" + origin + "): " + e.getMessage());
        }
        if (header == null) {
            throw new DatasetRefused(name + " is empty (" + origin + "): it needs a header row naming its columns");
        }
        List<String> columns = new ArrayList<>();
        for (String column : header.split(",", -1)) {
            columns.add(column.strip());
        }
        if (columns.stream().filter(LABEL::equals).count() > 1) {
            throw new DatasetRefused(name + " has more than one label column (" + origin + ")");
        }
        if (columns.size() - (columns.contains(LABEL) ? 1 : 0) == 0) {
            throw new DatasetRefused(name + " has no feature columns (" + origin + "): its header row names only "
                    + columns);
        }
        return new Dataset(name, origin, opener, memory, columns);
    }

    static BufferedReader reader(Datasets.Opener opener, String origin) {
        return new BufferedReader(new InputStreamReader(opener.openOrFail(origin), StandardCharsets.UTF_8), BUFFER);
    }

    /** The first line that is not blank, without a byte-order mark; null when there is none. */
    static String firstLine(BufferedReader reader) throws IOException {
        String line;
        do {
            line = reader.readLine();
        } while (line != null && line.isBlank());
        return line == null || line.isEmpty() || line.charAt(0) != '\uFEFF' ? line : line.substring(1);
    }

    public String name() {
        return name;
    }

    /** Where the file is: a path, or a resource on the classpath. */
    public String origin() {
        return origin;
    }

    /** The feature columns' names, in order: a row's values are theirs. */
    public List<String> features() {
        return features;
    }

    /** Whether the dataset has a {@code label} column. */
    public boolean labelled() {
        return labelColumn >= 0;
    }

    /**
     * The rows, {@code repeat} times over: the first pass read as they are taken, the later ones replayed from it when
     * it fits the memory left, else read again; close it to stop early (and give the memory back).
     */
    public DatasetRows<DatasetRow> rows(int repeat) {
        return rows(repeat, Function.identity());
    }

    /** As {@link #rows(int)}, each row given {@code as} it is made from its parsed row, once for all passes. */
    public <R> DatasetRows<R> rows(int repeat, Function<DatasetRow, R> as) {
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be at least 1, not " + repeat);
        }
        return new DatasetRows<>(this, repeat, memory, as);
    }

    Datasets.Opener opener() {
        return opener;
    }

    int columns() {
        return columns;
    }

    int labelColumn() {
        return labelColumn;
    }
}
