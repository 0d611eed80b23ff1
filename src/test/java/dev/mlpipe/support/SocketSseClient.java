package dev.mlpipe.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

import io.restassured.RestAssured;

/**
 * An event-stream client on a bare socket with a small receive buffer ({@value #RECEIVE_BUFFER} bytes), so that what it
 * has not read stays on the server's side: a client that reads slowly, or stops reading. It reads only when the test
 * says, and only as much as the test says. The chunked HTTP/1.1 body is decoded and its events parsed as
 * {@link SseClient} parses them (an event without an id line keeps the last id). Not thread-safe: one thread reads it.
 */
public final class SocketSseClient implements AutoCloseable {

    public static final int RECEIVE_BUFFER = 4096;

    private enum Part {
        HEAD, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER, UNCHUNKED, DONE
    }

    private final Socket socket;
    private final InputStream in;
    private final byte[] buffer = new byte[1 << 16];
    private final ByteArrayOutputStream frameLine = new ByteArrayOutputStream();
    private final ByteArrayOutputStream sseLine = new ByteArrayOutputStream();
    private final Map<String, String> headers = new HashMap<>();
    private final List<SseClient.Event> events = new ArrayList<>();
    private final List<String> comments = new ArrayList<>();

    private Part part = Part.HEAD;
    private int status = -1;
    private long chunkLeft;
    private long bodyBytes;
    private boolean closed;
    private final SseLines lines = new SseLines(events::add, comments::add);

    private SocketSseClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    /** Opens {@code GET path} asking for an event stream, and reads the status line and headers. */
    public static SocketSseClient get(String path, Map<String, String> requestHeaders) {
        return open("GET", path, requestHeaders, null);
    }

    /**
     * {@code POST /api/runs} with {@code Accept: text/event-stream}: starts a run from a JSON spec and follows it on
     * the same response; {@code query} is appended to the path.
     */
    public static SocketSseClient start(String specJson, String query) {
        return open("POST", "/api/runs" + query, Map.of("Content-Type", "application/json"), specJson);
    }

    private static SocketSseClient open(String method, String path, Map<String, String> requestHeaders, String body) {
        Socket socket = new Socket();
        try {
            socket.setReceiveBufferSize(RECEIVE_BUFFER); // before connecting, so the window is small from the start
            socket.setSoTimeout(30_000); // a guard against a hung test, not a measurement
            socket.connect(new InetSocketAddress("127.0.0.1", RestAssured.port));
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\n");
            requestHeaders.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            if (body != null) {
                request.append("Content-Length: ").append(content.length).append("\r\n");
            }
            var out = socket.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            SocketSseClient client = new SocketSseClient(socket);
            while (client.part == Part.HEAD && client.pump(256)) {
                // reads until the head is complete
            }
            return client;
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // failing anyway
            }
            throw new UncheckedIOException(e);
        }
    }

    public static SocketSseClient get(String path) {
        return get(path, Map.of());
    }

    public int status() {
        return status;
    }

    /** A response header, its name in any case. */
    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Reads at least {@code bytes} bytes of the body (or up to its end), then stops. */
    public SocketSseClient take(int bytes) {
        long target = bodyBytes + bytes;
        while (bodyBytes < target && pump((int) Math.min(buffer.length, Math.max(1, target - bodyBytes)))) {
            // reads on
        }
        return this;
    }

    /** Reads until the server ends the response, at most {@code bytesPerRead} bytes a read and a pause after each. */
    public SocketSseClient readSlowly(int bytesPerRead, Duration pause) {
        while (pump(bytesPerRead)) {
            LockSupport.parkNanos(pause.toNanos()); // simulates a slow consumer, not a wait for a condition
        }
        return this;
    }

    /** Reads as fast as the bytes come, until the server ends the response. */
    public SocketSseClient readToEnd() {
        while (pump(buffer.length)) {
            // reads on
        }
        return this;
    }

    /** The events read so far, in order; stats events included. */
    public List<SseClient.Event> events() {
        return List.copyOf(events);
    }

    public List<String> comments() {
        return List.copyOf(comments);
    }

    /** Whether the server ended the response (its last chunk, or closing the connection) as far as read. */
    public boolean ended() {
        return closed || part == Part.DONE;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // going away either way
        }
    }

    /** One read of at most {@code max} bytes from the socket. @return false once the response has ended */
    private boolean pump(int max) {
        if (ended()) {
            return false;
        }
        int n;
        try {
            n = in.read(buffer, 0, Math.min(max, buffer.length));
        } catch (SocketTimeoutException silent) {
            throw new AssertionError("the server sent nothing for 30 s and kept the connection open; read so far: "
                    + events.size() + " events, last " + (events.isEmpty() ? "none" : events.get(events.size() - 1)));
        } catch (IOException reset) {
            n = -1; // reset by the server: closed
        }
        if (n < 0) {
            closed = true; // an event cut off mid-way is dropped, as EventSource drops it
            return false;
        }
        for (int i = 0; i < n; i++) {
            accept(buffer[i]);
        }
        return !ended();
    }

    private void accept(byte b) {
        switch (part) {
            case HEAD, CHUNK_SIZE, CHUNK_END, TRAILER -> {
                if (b != '\n') {
                    frameLine.write(b);
                    return;
                }
                String line = frameLine.toString(StandardCharsets.US_ASCII).strip();
                frameLine.reset();
                frameLine(line);
            }
            case CHUNK_DATA -> {
                body(b);
                if (--chunkLeft == 0) {
                    part = Part.CHUNK_END;
                }
            }
            case UNCHUNKED -> body(b);
            case DONE -> {
                // nothing follows a complete response that this client reads
            }
        }
    }

    private void frameLine(String line) {
        switch (part) {
            case HEAD -> {
                if (status < 0) {
                    status = Integer.parseInt(line.split(" ")[1]);
                } else if (!line.isEmpty()) {
                    int colon = line.indexOf(':');
                    headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
                } else {
                    part = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? Part.CHUNK_SIZE
                            : Part.UNCHUNKED;
                }
            }
            case CHUNK_SIZE -> {
                int extension = line.indexOf(';');
                chunkLeft = Long.parseLong(extension < 0 ? line : line.substring(0, extension), 16);
                part = chunkLeft == 0 ? Part.TRAILER : Part.CHUNK_DATA;
            }
            case CHUNK_END -> part = Part.CHUNK_SIZE;
            case TRAILER -> {
                if (line.isEmpty()) {
                    part = Part.DONE;
                }
            }
            default -> throw new IllegalStateException(part.toString());
        }
    }

    private void body(byte b) {
        bodyBytes++;
        if (b == '\n') {
            flushSseLine();
        } else {
            sseLine.write(b);
        }
    }

    private void flushSseLine() {
        String line = sseLine.toString(StandardCharsets.UTF_8);
        sseLine.reset();
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        lines.line(line);
    }
}
