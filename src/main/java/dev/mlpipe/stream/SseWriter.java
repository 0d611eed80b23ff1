package dev.mlpipe.stream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

import dev.mlpipe.run.ResultRow;
import io.vertx.core.buffer.Buffer;

/**
 * Server-sent events as bytes, written straight from a run's kept results: no object and no JSON string per event, and
 * only the fields the client asked for. A result's JSON has the names and values its record would get from Jackson,
 * in the order {@link ResultFields#ALL} lists, written by hand because serializing is most of what a stream costs
 * (BENCHMARKS.md, scenario 2). One per connection; not thread-safe.
 */
final class SseWriter {

    private static final byte[] RESULT = ascii("event: result\ndata: {");
    private static final byte[] EXPIRED = ascii("event: expired\ndata: {\"runId\":");
    private static final byte[] FAILED = ascii("event: failed\ndata: {\"runId\":");
    private static final byte[][] NAMES = ResultFields.ALL.stream()
            .map(name -> ascii("\"" + name + "\":")).toArray(byte[][]::new);
    private static final byte[][] TENSOR_NAMES = ResultFields.TENSOR.stream()
            .map(name -> ascii("\"" + name + "\":")).toArray(byte[][]::new);
    private static final byte[] HIGH = ascii("\"high\"");
    private static final byte[] LOW = ascii("\"low\"");

    /** "00" to "99": two digits per division when writing a number, which is most of what an event costs. */
    private static final byte[] DIGIT_PAIRS = new byte[200];
    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        for (int i = 0; i < 100; i++) {
            DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
            DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private final ResultFields fields;
    /** JSON lines instead of events: each result, expired or failed item its event's data alone, a line each. */
    private final boolean lines;
    /** Events other clients of the run have written already, or null when this client's fields are its own. */
    private final SharedResults shared;
    private final Map<String, byte[]> quoted = new IdentityHashMap<>();
    private byte[] bytes = new byte[8192];
    private int length;

    SseWriter(ResultFields fields) {
        this(fields, null);
    }

    SseWriter(ResultFields fields, SharedResults shared) {
        this(fields, shared, false);
    }

    private SseWriter(ResultFields fields, SharedResults shared, boolean lines) {
        this.fields = fields;
        this.shared = shared;
        this.lines = lines;
    }

    /** A writer of JSON lines: each row as the data of its event, every field, a line each (an export). */
    static SseWriter jsonLines() {
        return new SseWriter(ResultFields.EVERY, null, true);
    }

    /** The bytes written so far, to an array; the writer starts empty again. */
    byte[] takeBytes() {
        byte[] out = Arrays.copyOf(bytes, length);
        length = 0;
        return out;
    }

    int length() {
        return length;
    }

    /** The bytes written so far, copied once into a buffer for the socket; the writer starts empty again. */
    Buffer take() {
        Buffer out = Buffer.buffer(length).appendBytes(bytes, 0, length);
        length = 0;
        return out;
    }

    void result(ResultRow row) {
        if (row.expired()) {
            expired(row);
            return;
        }
        if (row.failed()) {
            failed(row);
            return;
        }
        if (shared == null || !shared.shared()) {
            write(row);
            return;
        }
        byte[] written = shared.get(row.seq());
        if (written != null) {
            append(written);
            return;
        }
        int start = length;
        write(row);
        shared.put(row.seq(), Arrays.copyOfRange(bytes, start, length));
    }

    private void write(ResultRow row) {
        room(512);
        if (lines) {
            append('{');
        } else {
            append("id: ").number(row.seq()).append('\n').append(RESULT);
        }
        if (row.tensor()) {
            writeTensor(row);
            return;
        }
        int before = length;
        for (int field = 0; field < NAMES.length; field++) {
            if (fields.has(field)) {
                if (length > before) {
                    append(',');
                }
                append(NAMES[field]);
                value(field, row);
            }
        }
        endRow();
    }

    /** A tensor model's result: the fields of a result but {@code value}, then its own. */
    private void writeTensor(ResultRow row) {
        int before = length;
        for (int field = 0; field < NAMES.length + TENSOR_NAMES.length; field++) {
            if (field == 2 || !fields.has(field)) {
                continue;
            }
            String label = row.label();
            if ((field == ResultFields.LABEL || field == ResultFields.CORRECT) && label == null) {
                continue; // a row without a label has no label, nor a correct or not
            }
            if (length > before) {
                append(',');
            }
            append(field < NAMES.length ? NAMES[field] : TENSOR_NAMES[field - NAMES.length]);
            switch (field) {
                case 3 -> {
                    String prediction = row.prediction();
                    if (prediction == null) {
                        append("null");
                    } else {
                        quote(prediction);
                    }
                }
                case ResultFields.ROW -> number(row.row());
                case ResultFields.LABEL -> quote(label);
                case ResultFields.CORRECT -> append(label.equals(row.prediction()) ? "true" : "false");
                case ResultFields.INPUT -> floats(row.input());
                case ResultFields.OUTPUTS -> floats(row.outputs());
                default -> value(field, row);
            }
        }
        endRow();
    }

    /** A row of numbers as JSON, each as Java writes a float (rare: only when a client asks for rows). */
    private void floats(float[] values) {
        if (values == null) {
            append("null");
            return;
        }
        room(values.length * 16 + 2);
        append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                append(',');
            }
            float v = values[i];
            append(Float.isFinite(v) ? Float.toString(v) : "null");
        }
        append(']');
    }

    /**
     * An item that expired in the queue: an event of its own, with the same id a result would have, so a client knows
     * which seq will have no result. Rare, and always whole, whatever fields the client asked of results.
     */
    private void expired(ResultRow row) {
        unrun(row, EXPIRED, ",\"expiredUs\":");
        append(",\"queueWaitMs\":");
        decimal(row.dequeuedUs() - row.enqueuedUs(), 1_000);
        endRow();
    }

    /** What an expired and a failed event share: the item's place and times up to {@code at}, when it left the run. */
    private void unrun(ResultRow row, byte[] event, String at) {
        room(512);
        if (lines) {
            append("{\"runId\":");
        } else {
            append("id: ").number(row.seq()).append('\n').append(event);
        }
        quote(row.runId());
        append(",\"seq\":").number(row.seq());
        append(",\"value\":").number(row.value());
        append(",\"queueDepth\":").number(row.queueDepth());
        append(",\"loadedUs\":").number(row.loadedUs());
        append(",\"enqueuedUs\":").number(row.enqueuedUs());
        append(at).number(row.dequeuedUs());
        append(",\"loaderWaitMs\":");
        decimal(row.enqueuedUs() - row.loadedUs(), 1_000);
    }

    /**
     * An item that gave no result: an event of its own, in its place, with its reason. Rare, and always whole, as an
     * expired item's.
     */
    private void failed(ResultRow row) {
        unrun(row, FAILED, ",\"failedUs\":");
        append(",\"totalMs\":");
        decimal(row.dequeuedUs() - row.loadedUs(), 1_000);
        append(",\"reason\":");
        quote(row.failureReason());
        endRow();
    }

    /** The end of a result's JSON, and of its event or line. */
    private void endRow() {
        append(lines ? "}\n" : "}\n\n");
    }

    /** An event whose data is JSON made elsewhere (the run's view, a gap): rare, so a string will do. */
    void event(long id, String type, String json) {
        if (id > 0) {
            append("id: ").number(id).append('\n');
        }
        append("event: ").append(type).append("\ndata: ").utf8(json).append("\n\n");
    }

    void comment(String text) {
        append(": ").utf8(text).append("\n\n");
    }

    private void value(int field, ResultRow row) {
        switch (field) {
            case 0 -> quote(row.runId());
            case 1 -> number(row.seq());
            case 2 -> number(row.value());
            case 3 -> append(row.high() ? HIGH : LOW);
            case 4 -> decimal(row.scoreTenThousandths(), 10_000);
            case 5 -> number(row.queueDepth());
            case 6 -> number(row.loadedUs());
            case 7 -> number(row.enqueuedUs());
            case 8 -> number(row.dequeuedUs());
            case 9 -> number(row.startedUs());
            case 10 -> number(row.finishedUs());
            case 11 -> quote(row.worker());
            case 12 -> number(row.batchId());
            case 13 -> number(row.batchSize());
            case 14 -> decimal(row.enqueuedUs() - row.loadedUs(), 1_000);
            case 15 -> decimal(row.dequeuedUs() - row.enqueuedUs(), 1_000);
            case 16 -> decimal(row.startedUs() - row.dequeuedUs(), 1_000);
            case 17 -> decimal(row.finishedUs() - row.startedUs(), 1_000);
            case 18 -> decimal(row.finishedUs() - row.loadedUs(), 1_000);
            default -> throw new IllegalArgumentException("no field " + field);
        }
    }

    /** {@code units / per} as the shortest decimal, as Jackson writes a double: 0.057, 2.0, -1.5. */
    private void decimal(long units, int per) {
        if (units < 0) {
            append('-');
            units = -units;
        }
        number(units / per).append('.');
        long fraction = units % per;
        if (fraction == 0) {
            append('0');
            return;
        }
        for (int digit = per / 10; fraction > 0; digit /= 10) {
            append((char) ('0' + fraction / digit));
            fraction %= digit;
        }
    }

    private SseWriter number(long value) {
        room(20);
        if (value < 0) {
            if (value == Long.MIN_VALUE) {
                return append(Long.toString(value));
            }
            bytes[length++] = '-';
            value = -value;
        }
        int end = length + digits(value);
        int at = end;
        while (value >= 100) {
            int pair = (int) (value % 100) << 1;
            value /= 100;
            bytes[--at] = DIGIT_PAIRS[pair + 1];
            bytes[--at] = DIGIT_PAIRS[pair];
        }
        if (value >= 10) {
            int pair = (int) value << 1;
            bytes[--at] = DIGIT_PAIRS[pair + 1];
            bytes[--at] = DIGIT_PAIRS[pair];
        } else {
            bytes[--at] = (byte) ('0' + value);
        }
        length = end;
        return this;
    }

    /** Decimal digits of a non-negative number, without dividing. */
    static int digits(long value) {
        int digits = 1;
        while (digits < POWERS_OF_TEN.length && value >= POWERS_OF_TEN[digits]) {
            digits++;
        }
        return digits;
    }

    private void quote(String text) {
        append(quoted.computeIfAbsent(text, SseWriter::jsonString));
    }

    private SseWriter append(byte[] part) {
        room(part.length);
        System.arraycopy(part, 0, bytes, length, part.length);
        length += part.length;
        return this;
    }

    private SseWriter append(char c) {
        room(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** ASCII only: the fixed parts of events. */
    private SseWriter append(String ascii) {
        room(ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            bytes[length++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    private SseWriter utf8(String text) {
        return append(text.getBytes(StandardCharsets.UTF_8));
    }

    private void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    /** A JSON string literal, escaped so that it is ASCII: control characters, quotes and non-ASCII as \\u escapes. */
    static byte[] jsonString(String text) {
        if (text == null) {
            return ascii("null");
        }
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return ascii(out.append('"').toString());
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
