package dev.mlpipe.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.restassured.path.json.JsonPath;

/**
 * {@code POST /api/runs} with {@code Accept: text/event-stream}, as a client that starts a run and follows it on the
 * same response: the status and headers, its first line exactly as it came, and the
 * events parsed as {@link SseClient} parses them. An answer that is not a stream (a problem) is kept as text.
 */
public final class SseFollow implements AutoCloseable {

    private static final SseClient.Event CLOSED = new SseClient.Event(-1, "(closed)", "");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final HttpResponse<InputStream> response;
    private final BlockingQueue<SseClient.Event> events = new LinkedBlockingQueue<>();
    private final CountDownLatch firstLineRead = new CountDownLatch(1);
    private volatile String firstLine;
    private final Thread reader;
    private final String body;

    private SseFollow(HttpResponse<InputStream> response) throws IOException {
        this.response = response;
        if (contentType().startsWith("text/event-stream")) {
            this.body = null;
            this.reader = new Thread(this::read, "sse-follow");
            reader.setDaemon(true);
            reader.start();
        } else {
            try (InputStream in = response.body()) {
                this.body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            this.reader = null;
        }
    }

    /** Starts a run from a JSON spec and follows it; {@code query} is appended to the path (e.g. "?fields=seq"). */
    public static SseFollow start(String specJson, String query) {
        return post(query, "application/json", specJson);
    }

    public static SseFollow post(String query, String contentType, String body) {
        HttpRequest request = HttpRequest.newBuilder(SseClient.uri("/api/runs" + query))
                .header("Accept", "text/event-stream").header("Content-Type", contentType)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return new SseFollow(HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
        return JsonPath.from(body);
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
    public SseClient.Event next(Duration timeout) {
        try {
            SseClient.Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
    public List<SseClient.Event> untilEnd(Duration stallTimeout) {
        List<SseClient.Event> received = new ArrayList<>();
        while (true) {
            SseClient.Event event = next(stallTimeout);
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
            long id = -1;
            String type = "message";
            StringBuilder data = null;
            for (String line; (line = in.readLine()) != null;) {
                if (firstLine == null) {
                    firstLine = line;
                    firstLineRead.countDown();
                }
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new SseClient.Event(id, type, data.toString()));
                    }
                    type = "message";
                    data = null;
                } else if (!line.startsWith(":")) {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1).stripLeading();
                    switch (field) {
                        case "id" -> id = Long.parseLong(value);
                        case "event" -> type = value;
                        case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                        default -> {
                        }
                    }
                }
            }
        } catch (IOException e) {
            // closed by us or by the server
        } finally {
            firstLineRead.countDown();
            events.add(CLOSED);
        }
    }
}
