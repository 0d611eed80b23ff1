package dev.mlpipe.reliability;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.start;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.mlpipe.stream.ResultFields;
import dev.mlpipe.support.Api;
import dev.mlpipe.support.HostileInput;
import dev.mlpipe.support.Management;
import dev.mlpipe.support.ParsedJson;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * Fuzzing over HTTP: generated hostile run specs on both {@code POST /api/runs} routes, and hostile {@code mode},
 * {@code fields}, {@code lastEventId} and {@code Last-Event-ID} on a finished run's events. Every answer is a run, a
 * stream that ends, or a 4xx problem; never a 500, a hang, or an error in the server log. The seed is printed, and
 * {@code -Dfuzz.seed=} replays it; {@code -Dfuzz.http-inputs=} sets how many inputs each test tries.
 */
@QuarkusTest
public class FuzzedRequestsTest {

    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final int INPUTS = Integer.getInteger("fuzz.http-inputs", 200);
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** ERROR records logged while a test runs: an unexpected failure (Problems logs each 500) or one on the event loop. */
    private final List<LogRecord> errors = new CopyOnWriteArrayList<>();
    private final Handler errorLog = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                errors.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void watchTheLog() {
        Logger.getLogger("").addHandler(errorLog);
    }

    @AfterEach
    void nothingLoggedAsAnErrorAndStillHealthy() {
        Logger.getLogger("").removeHandler(errorLog);
        assertThat(errors).as("ERROR lines in the server log (seed %d)", SEED)
                .extracting(r -> r.getLoggerName() + ": " + r.getMessage()).isEmpty();
        Management.given().get("/q/health/ready").then().statusCode(200);
    }

    private static SplittableRandom random(String test) {
        System.out.printf("%s: %d inputs, seed %d (replay: -Dfuzz.seed=%d)%n", test, INPUTS, SEED, SEED);
        return new SplittableRandom(SEED);
    }

    private static String shown(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    @Test
    void everySpecIsARunOrAProblemNamingAField() throws Exception {
        SplittableRandom random = random("everySpecIsARunOrAProblemNamingAField");
        int started = 0;
        for (int i = 0; i < INPUTS; i++) {
            byte[] body = HostileInput.specBody(random);
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(SseClient.uri("/api/runs")).timeout(DEADLINE)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(), HttpResponse.BodyHandlers.ofString());
            String what = "input " + i + " of seed " + SEED + ": " + shown(body);
            if (answer.statusCode() == 201) {
                started++;
                Api.cancel(new ParsedJson(answer.body()).getString("id"));
            } else {
                isProblemNamingAField(answer.statusCode(), answer.headers().firstValue("content-type").orElse(""),
                        () -> new ParsedJson(answer.body()), what);
            }
        }
        System.out.printf("everySpecIsARunOrAProblemNamingAField: %d of %d inputs started a run%n", started, INPUTS);
    }

    @Test
    void everySpecOnTheStreamingPostIsAProblemOrAStreamThatEnds() {
        SplittableRandom random = random("everySpecOnTheStreamingPostIsAProblemOrAStreamThatEnds");
        for (int i = 0; i < INPUTS; i++) {
            byte[] body = HostileInput.specBody(random);
            String what = "input " + i + " of seed " + SEED + ": " + shown(body);
            try (SseClient client = SseClient.post("?fields=seq", "application/json", body)) {
                if (client.status() == 201) {
                    String first = client.firstLine(DEADLINE);
                    assertThat(first).as(what).startsWith(": run ");
                    given().delete("/api/runs/" + first.substring(": run ".length()).strip()).then().statusCode(200);
                    assertThat(client.untilEnd(DEADLINE)).as(what).last()
                            .satisfies(end -> assertThat(end.type()).isEqualTo("end"));
                    assertThat(client.closedWithin(DEADLINE)).as("closed after its end: " + what).isTrue();
                } else {
                    isProblemNamingAField(client.status(), client.contentType(), client::problem, what);
                }
            }
        }
    }

    @Test
    void everyEventsQueryIsAProblemOrAStreamThatEnds() throws IOException {
        String run = start(RunSpecs.spec().items(1, 5).noSentinel().inferenceMs(0).json());
        awaitEnd(run);
        SplittableRandom random = random("everyEventsQueryIsAProblemOrAStreamThatEnds");
        for (int i = 0; i < INPUTS; i++) {
            StringBuilder query = new StringBuilder();
            if (random.nextInt(3) > 0) {
                query.append("&mode=").append(HostileInput.queryValue(random, List.of("lossless", "live")));
            }
            if (random.nextInt(3) > 0) {
                query.append("&fields=").append(HostileInput.queryValue(random, ResultFields.ALL));
            }
            if (random.nextInt(3) == 0) {
                query.append("&lastEventId=").append(HostileInput.queryValue(random, List.of("0", "3", "6", "7")));
            }
            String header = random.nextInt(3) == 0 ? HostileInput.headerValue(random) : null;
            String target = "/api/runs/" + run + "/events" + (query.isEmpty() ? "" : "?" + query.substring(1));
            String what = "input " + i + " of seed " + SEED + ": " + target
                    + (header == null ? "" : " with Last-Event-ID: " + header);
            Raw answer = get(target, header);
            assertThat(answer.status).as(what).isLessThan(500);
            if (answer.status == 200) {
                assertThat(answer.contentType).as(what).startsWith("text/event-stream");
                assertThat(answer.body).as(what).contains("event: end\n");
            } else if (answer.status != 204 && !(List.of(400, 414, 431).contains(answer.status) && answer.body.isEmpty())) {
                // (an empty 400, 414 or 431 is the HTTP server's own answer, before any route, to a request line it
                // cannot parse or one over its limits, as HostileInputTest has it)
                assertThat(answer.status).as(what).isBetween(400, 499);
                assertThat(answer.contentType).as(what + " answered " + answer.status + " " + answer.body)
                        .isEqualTo("application/problem+json");
            }
        }
    }

    /** The problem is read only for a 400, which must name a field (another 4xx may come from the HTTP server). */
    private static void isProblemNamingAField(int status, String contentType, Supplier<JsonPath> problem, String what) {
        assertThat(status).as(what).isBetween(400, 499);
        assertThat(contentType).as(what).isEqualTo("application/problem+json");
        if (status == 400) {
            assertThat(problem.get().getList("errors.field", String.class)).as(what).isNotEmpty()
                    .allSatisfy(field -> assertThat(field).isNotBlank());
        }
    }

    private record Raw(int status, String contentType, String body) {
    }

    /**
     * A GET written byte for byte on a socket (java.net.http refuses malformed escapes in a query), read until the
     * server closes the connection: a stream that never ended would run into the read timeout.
     */
    private static Raw get(String target, String lastEventId) throws IOException {
        try (Socket socket = new Socket(RestAssured.baseURI.replace("http://", ""), RestAssured.port)) {
            socket.setSoTimeout((int) DEADLINE.toMillis());
            String request = "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                    + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n") + "Connection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            String text = answer.toString(StandardCharsets.ISO_8859_1);
            int endOfHead = text.indexOf("\r\n\r\n");
            assertThat(endOfHead).as("a whole answer to %s: %s", target, text).isPositive();
            String head = text.substring(0, endOfHead).toLowerCase(Locale.ROOT);
            int status = Integer.parseInt(head.substring(9, 12));
            String type = head.lines().filter(l -> l.startsWith("content-type:")).findFirst()
                    .map(l -> l.substring("content-type:".length()).strip()).orElse("");
            return new Raw(status, type, text.substring(endOfHead + 4));
        }
    }
}
