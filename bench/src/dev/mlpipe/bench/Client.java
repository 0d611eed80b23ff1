package dev.mlpipe.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The harness as the service's client: JSON requests with the JDK's HTTP client, event streams on raw sockets (the
 * bytes are what is measured, and a thousand of them must cost the harness little).
 */
final class Client {

    /**
     * How often a timed run's end is polled for once it is due: the most the client's clock may be late by. Until then
     * the client sleeps half the time the run's progress says is left (at most {@link #SPARSE_POLL_MILLIS}): polling
     * every 2 ms throughout slowed a run at batches of one on 2 cores (each answer is the run's view, statistics and
     * all), and every 100 ms made the client's figure up to a fifth lower than the service's.
     */
    static final long DUE_POLL_MILLIS = 1;
    static final long SPARSE_POLL_MILLIS = 50;
    /** A run predicted to end within this is due. */
    static final long DUE_MILLIS = 20;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final int port;
    private final int managementPort;

    Client(int port, int managementPort) {
        this.port = port;
        this.managementPort = managementPort;
    }

    /** A run the client has timed: from sending its {@code POST} to seeing it ended, and its view then. */
    record Timed(double seconds, String view) {
        double itemsPerSecond() {
            return Json.number(view, "processed") / seconds;
        }

        /** The service's own figure: items processed per second of the run, by its clock. */
        double serviceItemsPerSecond() {
            return Json.number(view, "throughput");
        }
    }

    /** Whether {@code /q/health/ready} on the management port answers 200. */
    boolean ready() throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(management("/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** Starts a run; returns its id. */
    String start(RunSpec spec) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/runs"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(spec.json()))
                .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        return Json.text(r.body(), "id");
    }

    String view(String id) throws Exception {
        return http.send(HttpRequest.newBuilder(uri("/api/runs/" + id)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /**
     * A run timed by this client's clock, from sending its {@code POST} to the poll that saw it end (every
     * {@value #DUE_POLL_MILLIS} ms once its end is due); it fails unless the run completed with every item processed.
     */
    Timed timedRun(RunSpec spec) throws Exception {
        long began = System.nanoTime();
        String id = start(spec);
        String view;
        while ((view = view(id)).contains("\"state\":\"running\"")) {
            double processed = Json.number(view, "processed");
            double elapsedMs = (System.nanoTime() - began) / 1e6;
            double leftMs = processed == 0 ? SPARSE_POLL_MILLIS : (spec.items() - processed) * elapsedMs / processed;
            Thread.sleep(leftMs < DUE_MILLIS ? DUE_POLL_MILLIS : (long) Math.min(SPARSE_POLL_MILLIS, leftMs / 2));
        }
        double seconds = (System.nanoTime() - began) / 1e9;
        if (!view.contains("\"state\":\"completed\"") || Json.number(view, "processed") != spec.items()) {
            throw new IllegalStateException("the run did not complete with all its " + spec.items() + " items: "
                    + view);
        }
        return new Timed(seconds, view);
    }

    /** Occupies the model with one item for this long, so that clients can connect before a run flows. */
    void blockModel(int millis) throws Exception {
        start(RunSpec.listed(1, Math.min(60_000, millis)));
    }

    /** Starts a run and follows it on the same response: {@code POST} with {@code Accept: text/event-stream}. */
    Socket follow(RunSpec spec, String query) throws IOException {
        Socket socket = connect();
        byte[] body = spec.json().getBytes(StandardCharsets.UTF_8);
        socket.getOutputStream().write(("POST /api/runs" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Accept: text/event-stream\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().write(body);
        return socket;
    }

    /** Follows a run that is running: {@code GET /api/runs/{id}/events}. */
    Socket stream(String id) throws IOException {
        Socket socket = connect();
        socket.getOutputStream().write(("GET /api/runs/" + id + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /** A run started and followed to its end event; the milliseconds from sending the request to reading the end. */
    double followedMillis(RunSpec spec) throws IOException {
        long began = System.nanoTime();
        try (Socket socket = follow(spec, "")) {
            new Sse.Events(socket.getInputStream()).end();
        }
        return (System.nanoTime() - began) / 1e6;
    }

    /** A plain GET on the application port; the milliseconds until the answer is read (scenario 6r's first request). */
    double getMillis(String path) throws Exception {
        long began = System.nanoTime();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + r.statusCode());
        }
        return (System.nanoTime() - began) / 1e6;
    }

    /** Full collections for want of room in the heap (not the one at start for class metadata), from its metrics. */
    long fullCollections() throws Exception {
        String text = http.send(HttpRequest.newBuilder(management("/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher count = Pattern.compile("^jvm_gc_pause_seconds_count\\{action=\"end of major GC\","
                + "cause=\"Allocation Failure\"[^}]*} (\\S+)$", Pattern.MULTILINE).matcher(text);
        return count.find() ? (long) Double.parseDouble(count.group(1)) : 0;
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(1 << 20);
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        socket.setSoTimeout(120_000);
        return socket;
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private URI management(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }
}
