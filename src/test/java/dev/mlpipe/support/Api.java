package dev.mlpipe.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The runs API as a test drives it: over HTTP only, so the same tests run against the packaged jar. */
public final class Api {

    private Api() {
    }

    /** Starts a run and returns its id. */
    public static String start(String specJson) {
        return given().contentType(ContentType.JSON).body(specJson)
                .when().post("/api/runs")
                .then().statusCode(201)
                .extract().path("id");
    }

    public static JsonPath run(String id) {
        return view("/api/runs/" + id);
    }

    /** {@code GET path}, answered 200, its JSON parsed once ({@link ParsedJson}) for the test's reads. */
    public static JsonPath view(String path) {
        return new ParsedJson(given().when().get(path).then().statusCode(200).extract().asString());
    }

    /** Cancels a run ({@code DELETE}) and returns its view; cancelling an ended run changes nothing. */
    public static JsonPath cancel(String id) {
        return given().when().delete("/api/runs/" + id).then().statusCode(200).extract().jsonPath();
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
        given().contentType(ContentType.JSON).body(settings).when().put("/api/pipeline").then().statusCode(200);
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

    /** The whole stream of a run, read from the start until its end event. */
    public static List<SseClient.Event> stream(String id) {
        try (SseClient client = SseClient.connect("/api/runs/" + id + "/events")) {
            return client.untilEnd(Duration.ofSeconds(30));
        }
    }
}
