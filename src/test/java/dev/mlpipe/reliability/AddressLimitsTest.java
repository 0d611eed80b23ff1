package dev.mlpipe.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Accounts;
import dev.mlpipe.support.NamedUsers;
import dev.mlpipe.support.NamedUsersBehindAProxy;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * Limits per person and per address, whichever is stricter: named users at one address each have their own runs and
 * streams and share the address's; one viewer holding all their streams leaves another viewer theirs; a sweep's event
 * stream takes a slot as a run's does; and a client's active runs may not take more model time at worst than
 * {@code mlpipe.limits.model-time-per-client}. The test is one address, 127.0.0.1; another is an {@code X-Forwarded-For}
 * header, which the profile trusts (as behind a proxy).
 */
@QuarkusTest
@TestProfile(NamedUsersBehindAProxy.class)
class AddressLimitsTest {

    private static final Map<String, String> ELSEWHERE = Map.of("X-Forwarded-For", "10.0.0.9");

    private final List<String> runs = new ArrayList<>();
    private final List<SseClient> streams = new ArrayList<>();

    @AfterEach
    void endAll() {
        streams.forEach(SseClient::close);
        runs.forEach(id -> NamedUsersBehindAProxy.operator().delete("/api/runs/" + id));
    }

    @Test
    void twoUsersAtOneAddressEachHaveTheirOwnRunsAndShareTheAddresss() {
        runs.add(start("alice", NamedUsers.ALICE, Map.of()).statusCode(201).extract().path("id"));
        runs.add(start("alice", NamedUsers.ALICE, Map.of()).statusCode(201).extract().path("id"));
        start("alice", NamedUsers.ALICE, Map.of()).statusCode(429).header("Retry-After", "1")
                .body("detail", allOf(containsString("user alice"), containsString("mlpipe.limits.runs-per-client")));

        runs.add(start("carol", NamedUsers.CAROL, Map.of()).statusCode(201).extract().path("id"));
        start("carol", NamedUsers.CAROL, Map.of()).statusCode(429).body("detail",
                allOf(containsString("address 127.0.0.1"), containsString("mlpipe.limits.runs-per-address")));

        runs.add(start("carol", NamedUsers.CAROL, ELSEWHERE).statusCode(201).extract().path("id"));
    }

    @Test
    void aViewerHoldingAllTheirStreamsLeavesAnotherViewerTheirs() {
        String events = "/api/runs/" + held("alice", NamedUsers.ALICE) + "/events";
        Map<String, String> bob = Accounts.basic("bob", NamedUsers.BOB);
        streams.add(open(events, bob));
        streams.add(open(events, bob));
        try (SseClient oneMore = SseClient.connect(events, bob)) {
            assertThat(oneMore.status()).isEqualTo(429);
            assertThat(oneMore.problem().getString("detail")).contains("user bob", "mlpipe.limits.streams-per-client");
        }
        Map<String, String> erin = new HashMap<>(Accounts.basic("erin", NamedUsers.ERIN));
        erin.putAll(ELSEWHERE);
        streams.add(open(events, erin));
        streams.add(open(events, erin));
    }

    @Test
    void aSweepsEventStreamTakesAStreamSlot() {
        String sweep = NamedUsers.as("alice", NamedUsers.ALICE).contentType(ContentType.JSON).body("""
                {"run": {"items": [1, 2], "loadIntervalMs": 60000, "inferenceMs": 0, "sentinel": null},
                 "vary": {"inferenceMs": [0]}, "repeats": 1}""").post("/api/sweeps").then().statusCode(201)
                .extract().path("id");
        Map<String, String> bob = Accounts.basic("bob", NamedUsers.BOB);
        try {
            streams.add(open("/api/sweeps/" + sweep + "/events", bob));
            streams.add(open("/api/sweeps/" + sweep + "/events", bob));
            try (SseClient third = SseClient.connect("/api/sweeps/" + sweep + "/events", bob)) {
                assertThat(third.status()).isEqualTo(429);
                assertThat(third.problem().getString("detail")).contains("mlpipe.limits.streams-per-client");
            }
            streams.remove(0).close(); // its slot comes back once the server sees the connection gone
            streams.add(await().atMost(Duration.ofSeconds(30)).until(
                    () -> SseClient.connect("/api/sweeps/" + sweep + "/events", bob),
                    client -> client.status() == 200 || closeFalse(client)));
        } finally {
            NamedUsersBehindAProxy.operator().delete("/api/sweeps/" + sweep);
        }
    }

    @Test
    void aClientsRunsMayNotTakeMoreModelTimeAtWorstThanItsBudget() {
        // 20 items, a minute apart: 20 minutes at worst, of alice's 30
        String twentyMinutes = RunSpecs.spec().draws(20).noSentinel().inferenceMs(0).loadIntervalMs(60_000).json();
        String first = post("alice", NamedUsers.ALICE, Map.of(), twentyMinutes).statusCode(201).extract().path("id");
        runs.add(first);
        post("alice", NamedUsers.ALICE, Map.of(), twentyMinutes).statusCode(429).header("Retry-After", "1")
                .body("detail", allOf(containsString("user alice"), containsString("0.3 h of model time"),
                        containsString("0.5 h"), containsString("mlpipe.limits.model-time-per-client")));
        runs.add(post("carol", NamedUsers.CAROL, Map.of(), twentyMinutes).statusCode(201).extract().path("id"));

        NamedUsersBehindAProxy.operator().delete("/api/runs/" + first); // its model time comes back as it ends
        runs.add(await().atMost(Duration.ofSeconds(30)).until(
                () -> post("alice", NamedUsers.ALICE, Map.of(), twentyMinutes).extract().path("id"), id -> id != null));
    }

    /** A run that stays active until cancelled: it loads one item, then would wait a minute for the next. */
    private static String heldSpec() {
        return RunSpecs.spec().items(List.of(1, 2)).noSentinel().inferenceMs(0).loadIntervalMs(60_000).json();
    }

    private String held(String user, String password) {
        String id = start(user, password, Map.of()).statusCode(201).extract().path("id");
        runs.add(id);
        return id;
    }

    private static ValidatableResponse start(String user, String password, Map<String, String> headers) {
        return post(user, password, headers, heldSpec());
    }

    private static ValidatableResponse post(String user, String password, Map<String, String> headers, String spec) {
        RequestSpecification request = NamedUsers.as(user, password).headers(headers);
        return request.contentType(ContentType.JSON).body(spec).when().post("/api/runs").then();
    }

    private static SseClient open(String path, Map<String, String> headers) {
        SseClient client = SseClient.connect(path, headers);
        assertThat(client.status()).isEqualTo(200);
        return client;
    }

    private static boolean closeFalse(SseClient refused) {
        assertThat(refused.status()).isEqualTo(429);
        refused.close();
        return false;
    }
}
