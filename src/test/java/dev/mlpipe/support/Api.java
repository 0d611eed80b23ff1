package dev.mlpipe.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.path.json.JsonPath;

/**
 * The runs API as a test drives it: over HTTP only, so the same tests run against the packaged jar. Sent with the
 * JDK's client rather than rest-assured, whose Groovy request path costs a test JVM much CPU in helpers that poll
 * (CONTRIBUTING.md, "What the suite costs"); a test's own checks of an answer use rest-assured.
 */
public final class Api {

    /**
     * One client for the helpers, {@link SseClient} and {@link ServiceProcess}: HTTP/1.1, as browsers and curl reach
     * the service.
     */
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Api() {
    }

    /** Starts a run and returns its id. */
    public static String start(String specJson) {
        return new ParsedJson(send("POST", "/api/runs", specJson, 201)).getString("id");
    }

    public static JsonPath run(String id) {
        return view("/api/runs/" + id);
    }

    /** {@code GET path}, answered 200, its JSON parsed once ({@link ParsedJson}) for the test's reads. */
    public static JsonPath view(String path) {
        return new ParsedJson(send("GET", path, null, 200));
    }

    /** Cancels a run ({@code DELETE}) and returns its view; cancelling an ended run changes nothing. */
    public static JsonPath cancel(String id) {
        return new ParsedJson(send("DELETE", "/api/runs/" + id, null, 200));
    }

    public static JsonPath pipeline() {
        return view("/api/pipeline");
    }

    /** A model's view, {@code GET /api/models/{name}}: its settings, depth and state. */
    public static JsonPath model(String name) {
        return view("/api/models/" + name);
    }

    /** What {@code PUT /api/pipeline} changes. */
    public static final List<String> PIPELINE_SETTINGS = List.of("capacity", "concurrency", "maxBatchSize",
            "batchDelayMs");

    /** The live settings now, to put back with {@link #restorePipeline} what a test changed in the shared app. */
    public static Map<String, Object> pipelineSettings() {
        JsonPath now = pipeline();
        Map<String, Object> settings = new LinkedHashMap<>();
        PIPELINE_SETTINGS.forEach(field -> settings.put(field, now.get(field)));
        return settings;
    }

    public static void restorePipeline(Map<String, Object> settings) {
        try {
            send("PUT", "/api/pipeline", JSON.writeValueAsString(settings), 200);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * Waits until the run has ended and returns its final view. Looks at once (most callers have read the stream to its
     * end, so the run has ended), then every 20 ms: not after Awaitility's default 100 ms each time.
     */
    public static JsonPath awaitEnd(String id) {
        await().atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(() -> !"running".equals(run(id).getString("state")));
        return run(id);
    }

    public static JsonPath data(SseClient.Event event) {
        return new ParsedJson(event.data());
    }

    public static List<SseClient.Event> results(List<SseClient.Event> events) {
        return events.stream().filter(e -> e.type().equals("result")).toList();
    }

    /** {@code method path} with a JSON body or none; its body, once its status is {@code expected}. */
    private static String send(String method, String path, String json, int expected) {
        HttpRequest.Builder request = HttpRequest.newBuilder(SseClient.uri(path)).timeout(Duration.ofSeconds(60));
        if (json == null) {
            request.method(method, BodyPublishers.noBody());
        } else {
            request.method(method, BodyPublishers.ofString(json)).header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new AssertionError(method + " " + path + ": expected status " + expected + ", got "
                        + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(method + " " + path + ": interrupted", e);
        }
    }

    /** The whole stream of a run, read from the start until its end event. */
    public static List<SseClient.Event> stream(String id) {
        try (SseClient client = SseClient.connect("/api/runs/" + id + "/events")) {
            return client.untilEnd(Duration.ofSeconds(30));
        }
    }
}
