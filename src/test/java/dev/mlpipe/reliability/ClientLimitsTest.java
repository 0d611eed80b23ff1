package dev.mlpipe.reliability;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.cancel;
import static dev.mlpipe.support.Api.start;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Accounts;
import dev.mlpipe.support.Api;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SmallSettings;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Per client, at most {@code mlpipe.limits.runs-per-client} active runs and {@code mlpipe.limits.streams-per-client}
 * open event streams; one more is a 429 problem naming the setting, with Retry-After. The test is one client,
 * 127.0.0.1; another is simulated by an {@code X-Forwarded-For} header, which the profile trusts (as behind a proxy).
 * The service is open, with an operator password set, as a developer's dev mode may be.
 */
@QuarkusTest
@TestProfile(SmallSettings.class)
class ClientLimitsTest {

    private static final Map<String, String> OTHER_CLIENT = Map.of("X-Forwarded-For", "10.0.0.2");

    private final List<String> runs = new ArrayList<>();
    private final List<SseClient> streams = new ArrayList<>();

    @AfterEach
    void endAll() {
        streams.forEach(SseClient::close);
        runs.forEach(Api::cancel);
    }

    @Test
    void aClientsRunBeyondItsLimitIsTooManyRequestsAndAnotherClientIsUnaffected() {
        runs.add(start(held()));
        runs.add(start(held()));

        post(Map.of()).statusCode(429)
                .header("Retry-After", "1")
                .contentType("application/problem+json")
                .body("status", equalTo(429))
                .body("detail", allOf(containsString("mlpipe.limits.runs-per-client"),
                        containsString("address 127.0.0.1")));

        runs.add(post(OTHER_CLIENT).statusCode(201).extract().path("id"));
    }

    @Test
    void inTheOpenModesASignedInRequestIsItsAddressNotAClientOfItsOwn() {
        runs.add(start(held()));
        runs.add(start(held()));

        post(Accounts.basic("operator", Accounts.OPERATOR_PASSWORD)).statusCode(429)
                .body("detail", allOf(containsString("address 127.0.0.1"), containsString("mlpipe.limits.runs-per-client")));
        post(Accounts.basic("operator", "anything")).statusCode(401); // a password it sends is still checked
        post(Accounts.basic("nobody", "anything")).statusCode(401);
    }

    @Test
    void aSweepWhoseFirstRunIsRefusedLeavesThePipelineAsItWas() {
        int capacity = Api.pipeline().getInt("capacity");
        List<String> sweepsBefore = sweeps(); // another test of the profile may have kept one
        runs.add(start(held()));
        runs.add(start(held()));

        given().contentType(ContentType.JSON).body(Map.of("pipeline", Map.of("capacity", capacity + 3),
                "vary", Map.of("inferenceMs", List.of(1)), "repeats", 1)).post("/api/sweeps")
                .then().statusCode(429).body("detail", containsString("mlpipe.limits.runs-per-client"));

        assertThat(Api.pipeline().getInt("capacity")).as("the sweep's capacity undone").isEqualTo(capacity);
        assertThat(sweeps()).as("a sweep that never started is not kept").isEqualTo(sweepsBefore);
        runs.forEach(Api::cancel);
        runs.clear();
        String next = given().contentType(ContentType.JSON).body("""
                {"run": {"maxItems": 5, "sentinel": null}, "vary": {"inferenceMs": [1]}, "repeats": 1}""")
                .post("/api/sweeps").then().statusCode(201).extract().path("id"); // and the next sweep may start
        await().atMost(Duration.ofSeconds(30)).until(() -> "completed".equals(
                given().get("/api/sweeps/" + next).then().statusCode(200).extract().path("state")));
    }

    @Test
    void anEndedRunGivesItsClientItsSlotBack() {
        runs.add(start(held()));
        String quick = start(RunSpecs.spec().items(List.of(1, 2, 3)).noSentinel().inferenceMs(0).json());
        assertThat(awaitEnd(quick).getString("state")).isEqualTo("completed");

        // the completed run's slot comes back once it has ended (just after its state says so)
        String second = await().atMost(Duration.ofSeconds(30))
                .until(() -> post(Map.of()).extract().path("id"), id -> id != null);
        runs.add(second);
        post(Map.of()).statusCode(429);

        cancel(second);
        runs.add(post(Map.of()).statusCode(201).extract().path("id")); // a cancelled run's slot is free at once
        post(Map.of()).statusCode(429); // and only its slot: the count is still right
    }

    @Test
    void aClientsStreamBeyondItsLimitIsTooManyRequestsBeforeAnyStreamByte() {
        String events = heldRunWithItsStreamsAllOpen();

        try (SseClient fourth = SseClient.connect(events)) {
            assertThat(fourth.status()).isEqualTo(429);
            assertThat(fourth.header("Retry-After")).isEqualTo("1");
            assertThat(fourth.contentType()).startsWith("application/problem+json");
            assertThat(fourth.problem().getString("detail")).contains("mlpipe.limits.streams-per-client");
        }
        int kept = kept().size();
        try (SseClient startAndFollow = SseClient.follow(RunSpecs.spec().items(List.of(1)).json(), "")) {
            assertThat(startAndFollow.status()).isEqualTo(429);
            assertThat(startAndFollow.problem().getString("detail")).contains("mlpipe.limits.streams-per-client");
        }
        assertThat(kept()).hasSize(kept); // the refused POST started no run

        try (SseClient other = SseClient.connect(events, OTHER_CLIENT)) {
            assertThat(other.status()).isEqualTo(200);
            assertThat(other.next(Duration.ofSeconds(30))).isNotNull();
        }
    }

    @Test
    void closedAndEndedStreamsGiveTheirSlotsBack() {
        String events = heldRunWithItsStreamsAllOpen();

        streams.remove(0).close(); // the client goes away
        streams.add(openOnceFree(events));

        streams.forEach(SseClient::close);
        streams.clear();
        for (int i = 0; i < 3; i++) {
            streams.add(openOnceFree(events)); // all three slots came back: none leaked
        }
        streams.forEach(SseClient::close);
        streams.clear();

        // streams that end by themselves (their run's end event) give their slots back too
        for (int i = 0; i < 3; i++) {
            SseClient followed = await().atMost(Duration.ofSeconds(30)).until(
                    () -> SseClient.follow(RunSpecs.spec().items(List.of(1, 2)).noSentinel().inferenceMs(0).json(), ""),
                    client -> client.status() == 201 || closeFalse(client));
            try (followed) {
                assertThat(followed.untilEnd(Duration.ofSeconds(30))).last()
                        .satisfies(end -> assertThat(end.type()).isEqualTo("end"));
                assertThat(followed.closedWithin(Duration.ofSeconds(30))).isTrue();
            }
        }
        for (int i = 0; i < 3; i++) {
            streams.add(openOnceFree(events));
        }
    }

    /** A run that stays active until cancelled: it loads one item, then would wait a minute for the next. */
    private static String held() {
        return RunSpecs.spec().items(List.of(1, 2)).noSentinel().inferenceMs(0).loadIntervalMs(60_000).json();
    }

    /** The ids of the sweeps kept. */
    private static List<String> sweeps() {
        return given().get("/api/sweeps").then().statusCode(200).extract().jsonPath().getList("id");
    }

    private static List<Object> kept() {
        return given().when().get("/api/runs").then().statusCode(200).extract().jsonPath().getList("$");
    }

    private static ValidatableResponse post(Map<String, String> headers) {
        return given().contentType(ContentType.JSON).headers(headers).body(held())
                .when().post("/api/runs").then();
    }

    /** A run that stays active, with as many of its streams open as the client may have: @return their path */
    private String heldRunWithItsStreamsAllOpen() {
        String run = start(held());
        runs.add(run);
        String events = "/api/runs/" + run + "/events";
        for (int i = 0; i < 3; i++) {
            streams.add(open(events));
        }
        return events;
    }

    private static SseClient open(String path) {
        SseClient client = SseClient.connect(path);
        assertThat(client.status()).isEqualTo(200); // its slot is taken before the status goes out
        return client;
    }

    /** Opens a stream once the client has a slot free again: the server sees a closed connection a moment later. */
    private static SseClient openOnceFree(String path) {
        return await().atMost(Duration.ofSeconds(30))
                .until(() -> SseClient.connect(path), client -> client.status() == 200 || closeFalse(client));
    }

    private static boolean closeFalse(SseClient refused) {
        assertThat(refused.status()).isEqualTo(429);
        refused.close();
        return false;
    }
}
