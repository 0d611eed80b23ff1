package dev.mlpipe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.ServiceProcess;
import dev.mlpipe.support.ShippedJar;
import dev.mlpipe.support.SseClient;
import io.restassured.path.json.JsonPath;

/**
 * The packaged jar as it ships: its production profile, default limits, the passwords in its environment as an
 * operator sets them, operators' endpoints on the management port. What the {@code %test} profile turns off or
 * raises (sign-in, limits) is on here, at its defaults.
 */
@ExtendWith(ShippedJar.class)
class ShippedJarIT {

    private static final String OPERATOR = ShippedJar.OPERATOR_PASSWORD;
    private static final String VIEWER = ShippedJar.VIEWER_PASSWORD;

    private static ServiceProcess app;

    @BeforeAll
    static void theJarAsShipped(ServiceProcess shipped) {
        app = shipped;
    }

    @Test
    void withoutAnAccountThePageAndTheApiAskForSignIn() throws Exception {
        for (String path : List.of("/", "/api/runs")) {
            HttpResponse<String> challenged = app.get(path);
            assertThat(challenged.statusCode()).as(path).isEqualTo(401);
            assertThat(challenged.headers().firstValue("WWW-Authenticate")).as(path)
                    .hasValueSatisfying(value -> assertThat(value).startsWithIgnoringCase("basic realm=\"mlpipe\""));
        }
        assertThat(app.get("/api/runs", "operator", VIEWER).statusCode()).as("the viewer's password for the operator")
                .isEqualTo(401);
        assertThat(app.get("/", "viewer", VIEWER).statusCode()).isEqualTo(200);
        assertThat(app.get("/api/runs", "operator", OPERATOR).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = app.post("/api/runs", RunSpecs.spec().maxItems(3).inferenceMs(0).json(),
                "viewer", VIEWER);
        assertThat(refused.statusCode()).as("a viewer watches, it starts nothing").isEqualTo(403);
    }

    @Test
    void aRunStartedByTheOperatorStreamsEveryResultToAViewerThenItsEnd() throws Exception {
        String id = started(RunSpecs.spec().seed(7).inferenceMs(5).json());
        List<SseClient.Event> events;
        try (SseClient stream = SseClient.connect(URI.create(app.base() + "/api/runs/" + id + "/events"),
                Map.of("Authorization", ServiceProcess.basic("viewer", VIEWER)))) {
            assertThat(stream.status()).isEqualTo(200);
            events = stream.untilEnd(Duration.ofSeconds(30));
        }
        JsonPath end = JsonPath.from(events.get(events.size() - 1).data());
        assertThat(end.getString("state")).isEqualTo("completed");
        int processed = end.getInt("counts.processed");
        assertThat(processed).as("seed 7 draws until the sentinel").isPositive();
        assertThat(events).filteredOn(event -> event.type().equals("result")).extracting(SseClient.Event::id)
                .as("every result in load order, none twice").containsExactlyElementsOf(
                        LongStream.rangeClosed(1, processed).boxed().toList());
    }

    @Test
    void theDefaultLimitRefusesAClientsEleventhActiveRun() throws Exception {
        // the other tests' runs have ended: each client's count starts from none
        await().atMost(Duration.ofSeconds(30)).until(() -> !app.get("/api/runs", "operator", OPERATOR).body()
                .contains("\"state\":\"running\""));
        List<String> running = new ArrayList<>();
        try {
            HttpResponse<String> answer;
            while ((answer = app.post("/api/runs", RunSpecs.spec().noSentinel().json(), "operator", OPERATOR))
                    .statusCode() == 201 && running.size() <= 10) {
                running.add(JsonPath.from(answer.body()).getString("id"));
            }
            assertThat(running).as("mlpipe.limits.runs-per-client's default").hasSize(10);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(429);
            assertThat(answer.headers().firstValue("Retry-After")).isPresent();
        } finally {
            for (String id : running) {
                app.delete("/api/runs/" + id, "operator", OPERATOR);
            }
        }
    }

    @Test
    void metricsOnTheManagementPortAskForAnAccountAndCountWhatRan() throws Exception {
        started(RunSpecs.spec().items(1, 5).noSentinel().inferenceMs(0).json());
        assertThat(app.get("/q/metrics", "viewer", VIEWER).statusCode()).as("not on the public port").isEqualTo(404);
        assertThat(app.probe("/q/health/ready").statusCode()).as("probes need no account").isEqualTo(200);
        HttpResponse<String> challenged = app.probe("/q/metrics");
        assertThat(challenged.statusCode()).isEqualTo(401);
        assertThat(challenged.headers().firstValue("WWW-Authenticate")).isPresent();
        await().atMost(Duration.ofSeconds(30)).until(() -> processed() >= 5);
    }

    private static double processed() throws Exception {
        HttpResponse<String> metrics = app.probe("/q/metrics", "viewer", VIEWER);
        assertThat(metrics.statusCode()).isEqualTo(200);
        Matcher sample = Pattern.compile(
                "^mlpipe_items_total\\{model=\"simulated\",outcome=\"processed\"} ([0-9.eE+-]+)$",
                Pattern.MULTILINE).matcher(metrics.body());
        return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
    }

    private static String started(String spec) throws Exception {
        HttpResponse<String> created = app.post("/api/runs", spec, "operator", OPERATOR);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return JsonPath.from(created.body()).getString("id");
    }
}
