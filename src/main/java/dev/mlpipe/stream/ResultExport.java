package dev.mlpipe.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.mlpipe.run.History;
import dev.mlpipe.run.ResultRow;

/**
 * A run's kept results as a file: JSON lines, each line the data of the event the run's stream writes for that row
 * ({@link SseWriter}, every field), or CSV with a column per field. Read from the kept columns as they are now
 * ({@link History#forEachKept}), so it neither paces the run nor waits for it.
 */
public final class ResultExport {

    public static final String CSV_TYPE = "text/csv";
    public static final String JSONL_TYPE = "application/jsonl";

    /** What {@code ?format=} names. */
    public enum Format {
        CSV(CSV_TYPE, "csv"), JSONL(JSONL_TYPE, "jsonl");

        public final String mediaType;
        public final String extension;

        Format(String mediaType, String extension) {
            this.mediaType = mediaType;
            this.extension = extension;
        }
    }

    /** Rows written to the stream at a time. */
    private static final int ROWS_PER_WRITE = 256;
    /** A simulated model's columns; a tensor model's have {@code row}, {@code label}, {@code correct} for value. */
    private static final List<String> AFTER = List.of("outcome", "reason");

    private ResultExport() {
    }

    /** Writes {@code history}'s kept results to {@code out} as {@code format}. */
    public static void write(History history, Format format, OutputStream out) throws IOException {
        try {
            if (format == Format.JSONL) {
                jsonLines(history, out);
            } else {
                csv(history, out);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void jsonLines(History history, OutputStream out) throws IOException {
        SseWriter writer = SseWriter.jsonLines();
        int[] pending = { 0 };
        history.forEachKept(row -> {
            writer.result(row);
            if (++pending[0] == ROWS_PER_WRITE) {
                pending[0] = 0;
                write(out, writer.takeBytes());
            }
        });
        out.write(writer.takeBytes());
    }

    private static void csv(History history, OutputStream out) throws IOException {
        StringBuilder text = new StringBuilder(32 * 1024);
        int[] pending = { 0 };
        boolean[] tensor = { false, false }; // decided, tensor
        history.forEachKept(row -> {
            if (!tensor[0]) {
                tensor[0] = true;
                tensor[1] = row.tensor();
                header(text, tensor[1]);
            }
            row(text, row, tensor[1]);
            if (++pending[0] == ROWS_PER_WRITE) {
                pending[0] = 0;
                write(out, utf8(text));
            }
        });
        if (!tensor[0]) {
            header(text, false);
        }
        out.write(utf8(text));
    }

    static List<String> columns(boolean tensor) {
        List<String> columns = new ArrayList<>(ResultFields.ALL);
        if (tensor) {
            columns.remove("value");
            columns.addAll(List.of("row", "label", "correct"));
        }
        columns.addAll(AFTER);
        return columns;
    }

    private static void header(StringBuilder text, boolean tensor) {
        text.append(String.join(",", columns(tensor))).append('\n');
    }

    /** A row in {@link #columns} order: an expired or failed item's has no prediction, worker or batch. */
    private static void row(StringBuilder text, ResultRow row, boolean tensor) {
        boolean ran = !row.expired() && !row.failed();
        text.append(quoted(row.runId())).append(',').append(row.seq()).append(',');
        if (!tensor) {
            text.append(row.value()).append(',');
        }
        text.append(ran ? quoted(row.prediction()) : "").append(',')
                .append(ran ? ms(row.scoreTenThousandths(), 10_000) : "").append(',')
                .append(row.queueDepth()).append(',')
                .append(row.loadedUs()).append(',').append(row.enqueuedUs()).append(',').append(row.dequeuedUs())
                .append(',').append(ran ? row.startedUs() : "").append(',').append(ran ? row.finishedUs() : "")
                .append(',').append(ran ? quoted(row.worker()) : "").append(',').append(ran ? row.batchId() : "")
                .append(',').append(ran ? row.batchSize() : "").append(',')
                .append(ms(row.enqueuedUs() - row.loadedUs(), 1_000)).append(',')
                .append(ms(row.dequeuedUs() - row.enqueuedUs(), 1_000)).append(',')
                .append(ran ? ms(row.startedUs() - row.dequeuedUs(), 1_000) : "").append(',')
                .append(ran ? ms(row.finishedUs() - row.startedUs(), 1_000) : "").append(',')
                .append(ran ? ms(row.finishedUs() - row.loadedUs(), 1_000)
                        : row.failed() ? ms(row.dequeuedUs() - row.loadedUs(), 1_000) : "");
        if (tensor) {
            String label = row.label();
            text.append(',').append(row.row()).append(',').append(quoted(label)).append(',')
                    .append(label == null || !ran ? "" : label.equals(row.prediction()));
        }
        text.append(',').append(row.expired() ? "expired" : row.failed() ? "failed" : "result")
                .append(',').append(quoted(row.failureReason())).append('\n');
    }

    /** {@code units / per} as a plain decimal: 0.057, 2, -1.5. */
    private static String ms(long units, int per) {
        return BigDecimal.valueOf(units).divide(BigDecimal.valueOf(per)).stripTrailingZeros().toPlainString();
    }

    /**
     * A text cell: empty for none, quoted when it holds a comma, a quote or a line break; one a spreadsheet would
     * take for a formula gets a leading apostrophe.
     */
    static String quoted(String text) {
        if (text == null) {
            return "";
        }
        String cell = !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
        if (cell.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
            return '"' + cell.replace("\"", "\"\"") + '"';
        }
        return cell;
    }

    private static byte[] utf8(StringBuilder text) {
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        text.setLength(0);
        return bytes;
    }

    private static void write(OutputStream out, byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
