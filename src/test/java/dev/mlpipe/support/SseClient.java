package dev.mlpipe.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * Reads a server-sent event stream as a browser's EventSource would: parses {@code id}, {@code event} and
 * {@code data} fields, keeps comment lines apart, and can drop the connection mid-stream. Opened by a {@code GET} of
 * a run's events, or by {@code POST /api/runs} with {@code Accept: text/event-stream}, which starts a run and follows
 * it on the same response; an answer that is not a stream (a problem) is kept as text.
 */
public final class SseClient implements AutoCloseable {

    public record Event(long id, String type, String data) {
    }

    private static final Event CLOSED = new Event(-1, "(closed)", "");

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstLineRead = new CountDownLatch(1);
    private volatile String firstLine;
    private final Thread reader;
    private final String body;

    private SseClient(HttpResponse<InputStream> response) throws IOException {
        this.response = response;
        if (contentType().startsWith("text/event-stream")) {
            this.body = null;
            this.reader = new Thread(this::read, "sse-client");
            reader.setDaemon(true);
            reader.start();
        } else {
            try (InputStream in = response.body()) {
                this.body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            this.reader = null;
            events.add(CLOSED);
            firstLineRead.countDown();
        }
    }

    public static SseClient connect(String path) {
        return connect(path, Map.of());
    }

    public static SseClient connect(String path, Map<String, String> headers) {
        return connect(uri(path), headers);
    }

    public static SseClient connect(URI uri, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(60));
        headers.forEach(request::header);
        return send(request.GET().build());
    }

    /** Starts a run from a JSON spec and follows it; {@code query} is appended to the path (e.g. "?fields=seq"). */
    public static SseClient follow(String specJson, String query) {
        return post(query, "application/json", specJson);
    }

    public static SseClient post(String query, String contentType, String body) {
        return post(query, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public static SseClient post(String query, String contentType, byte[] body) {
        return send(HttpRequest.newBuilder(uri("/api/runs" + query))
                .header("Accept", "text/event-stream").header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private static SseClient send(HttpRequest request) {
        try {
            return new SseClient(Api.HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static URI uri(String path) {
        return URI.create(RestAssured.baseURI + ":" + RestAssured.port + path);
    }

    public int status() {
        return response.statusCode();
    }

    public String header(String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    public String contentType() {
        return response.headers().firstValue("content-type").orElse("");
    }

    /** The body of an answer that is not an event stream: a problem, as JSON. */
    public JsonPath problem() {
        if (body == null) {
            throw new AssertionError("the answer is an event stream (status " + status() + "), not a problem");
        }
        return new ParsedJson(body);
    }

    /** The first line of the stream as it came, waiting for it up to {@code timeout}; null if none came. */
    public String firstLine(Duration timeout) {
        try {
            firstLineRead.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return firstLine;
    }

    /** The next event, or null if none arrives in time; a closed stream yields no more events. */
    public Event next(Duration timeout) {
        try {
            Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (event == CLOSED) {
                events.add(CLOSED);
                return null;
            }
            return event;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Events up to and including the end event; fails if the stream stalls or closes first. */
    public List<Event> untilEnd(Duration stallTimeout) {
        List<Event> received = new ArrayList<>();
        while (true) {
            Event event = next(stallTimeout);
            if (event == null) {
                throw new AssertionError("stream stalled or closed before its end event; got " + received.size()
                        + " events, last " + (received.isEmpty() ? "none" : received.get(received.size() - 1)));
            }
            received.add(event);
            if (event.type().equals("end")) {
                return received;
            }
        }
    }

    /**
     * Hands each event to {@code each} as it comes, up to and including the end event, without keeping them; fails if
     * the stream stalls or closes first. @return how many events there were
     */
    public long eachUntilEnd(Duration stallTimeout, java.util.function.Consumer<Event> each) {
        long count = 0;
        while (true) {
            Event event = next(stallTimeout);
            if (event == null) {
                throw new AssertionError("stream stalled or closed before its end event; got " + count + " events");
            }
            count++;
            each.accept(event);
            if (event.type().equals("end")) {
                return count;
            }
        }
    }

    /** Whether the server closed the stream (after its last event) within the timeout. */
    public boolean closedWithin(Duration timeout) {
        if (reader == null) {
            return true;
        }
        try {
            reader.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !reader.isAlive();
    }

    public List<String> comments() {
        return comments;
    }

    @Override
    public void close() {
        if (reader == null) {
            return;
        }
        try {
            response.body().close();
        } catch (IOException ignored) {
            // the connection is going away either way
        }
        reader.interrupt();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            SseLines lines = new SseLines(events::add, comments::add);
            for (String line; (line = in.readLine()) != null;) {
                if (firstLine == null) {
                    firstLine = line;
                    firstLineRead.countDown();
                }
                lines.line(line);
            }
        } catch (IOException e) {
            // closed by us or by the server
        } finally {
            firstLineRead.countDown();
            events.add(CLOSED);
        }
    }
}
