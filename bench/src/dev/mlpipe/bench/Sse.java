package dev.mlpipe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/** Reading server-sent events off a raw HTTP/1.1 response, three ways, from the cheapest. */
final class Sse {

    private static final byte[] RESULT = "event: result".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "event: end".getBytes(StandardCharsets.US_ASCII);

    private Sse() {
    }

    record Event(String type, String data) {
    }

    /** Events one at a time: enough for events whose data is one line (the service's are). */
    static final class Events {
        private final BufferedReader in;

        Events(InputStream in) {
            this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        }

        /** The next event, or null when the response ends. */
        Event next() throws IOException {
            String type = null;
            String data = null;
            for (String line; (line = in.readLine()) != null;) {
                if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                } else if (line.isEmpty() && type != null) {
                    return new Event(type, data);
                }
                // anything else: headers, chunk sizes, ids, comments
            }
            return null;
        }

        /** Reads up to the end event, and returns it; fails if the stream ends without one. */
        Event end() throws IOException {
            for (Event e; (e = next()) != null;) {
                if (e.type().equals("end")) {
                    return e;
                }
            }
            throw new IllegalStateException("the stream ended without its end event");
        }
    }

    /** Counts result events in the raw bytes up to the end event, without decoding them, as {@code grep -c} does. */
    static long countResults(InputStream in) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long count = 0;
        int matchedResult = 0;
        int matchedEnd = 0;
        for (int n; (n = in.read(buffer)) > 0;) {
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                matchedResult = b == RESULT[matchedResult] ? matchedResult + 1 : (b == RESULT[0] ? 1 : 0);
                if (matchedResult == RESULT.length) {
                    count++;
                    matchedResult = 0;
                }
                matchedEnd = b == END[matchedEnd] ? matchedEnd + 1 : (b == END[0] ? 1 : 0);
                if (matchedEnd == END.length) {
                    return count;
                }
            }
        }
        throw new IllegalStateException("the stream ended without its end event after " + count + " results");
    }

    /** Parses every event and its JSON with Jackson, as a consumer would, checking each seq follows the last. */
    static long parseResults(InputStream in) throws IOException {
        JsonFactory json = new JsonFactory();
        long results = 0;
        long lastSeq = 0;
        Events events = new Events(in);
        for (Event e; (e = events.next()) != null;) {
            if (e.type().equals("result")) {
                long seq = seqOf(json, e.data());
                if (seq != lastSeq + 1) {
                    throw new IllegalStateException("seq " + seq + " after " + lastSeq);
                }
                lastSeq = seq;
                results++;
            } else if (e.type().equals("end")) {
                return results;
            }
        }
        throw new IllegalStateException("the stream ended without its end event after " + results + " results");
    }

    private static long seqOf(JsonFactory json, String data) throws IOException {
        try (JsonParser p = json.createParser(data)) {
            long seq = -1;
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && "seq".equals(p.currentName())) {
                    p.nextToken();
                    seq = p.getLongValue();
                }
            }
            return seq;
        }
    }

    /**
     * The {@code finishedUs} of each result event, read straight from the bytes: a thousand clients on two cores must
     * cost little, or scenario 4 measures them rather than the service.
     */
    static final class FinishedTimes {
        private static final byte[] KEY = "\"finishedUs\":".getBytes(StandardCharsets.US_ASCII);
        private final InputStream in;
        private final byte[] buffer = new byte[1 << 16];
        private int at;
        private int length;
        private int matchedKey;
        private int matchedEnd;
        private boolean ended;

        FinishedTimes(InputStream in) {
            this.in = in;
        }

        boolean ended() {
            return ended;
        }

        private boolean fill() throws IOException {
            length = in.read(buffer);
            at = 0;
            return length > 0;
        }

        /** The next result's finishedUs, or -1 after the end event (or if the stream ends). */
        long next() throws IOException {
            while (true) {
                if (at == length && !fill()) {
                    return -1;
                }
                byte b = buffer[at++];
                matchedEnd = b == END[matchedEnd] ? matchedEnd + 1 : (b == END[0] ? 1 : 0);
                if (matchedEnd == END.length) {
                    ended = true;
                    return -1;
                }
                matchedKey = b == KEY[matchedKey] ? matchedKey + 1 : (b == KEY[0] ? 1 : 0);
                if (matchedKey == KEY.length) {
                    matchedKey = 0;
                    long value = 0;
                    while (true) {
                        if (at == length && !fill()) {
                            return -1;
                        }
                        byte digit = buffer[at];
                        if (digit < '0' || digit > '9') {
                            return value;
                        }
                        value = value * 10 + (digit - '0');
                        at++;
                    }
                }
            }
        }
    }
}
