package dev.mlpipe.bench;

import java.io.InputStream;
import java.net.Socket;
import java.util.List;
import java.util.Map;

/**
 * 2: a run of random items at {@code inferenceMs: 0} started and followed in one request ({@code POST /api/runs} with
 * {@code Accept: text/event-stream}), default settings: the client gets every result, and the run waits for it when
 * it is slower. Events/s by the client's clock, from sending the request to reading the end event. No baseline: the
 * plain-threads design has no HTTP to compare with.
 */
final class FollowedRun implements Scenario {

    static final Figure COUNTED = new Figure("s2a.eventsPerSecond", Unit.EVENTS_PER_SECOND);
    static final Figure PARSED = new Figure("s2b.eventsPerSecond", Unit.EVENTS_PER_SECOND);
    static final Figure FEW_FIELDS = new Figure("s2c.eventsPerSecond", Unit.EVENTS_PER_SECOND);

    /** How the client reads the stream. */
    private interface Reader {
        long results(InputStream in) throws Exception;
    }

    @Override
    public String id() {
        return "2";
    }

    @Override
    public String group() {
        return "stream";
    }

    @Override
    public List<Figure> figures() {
        return List.of(COUNTED, PARSED, FEW_FIELDS);
    }

    @Override
    public void measure(Harness h, Measurements m) throws Exception {
        RunSpec spec = RunSpec.random(h.options().items());
        try (Service s = h.mlpipe(Map.of())) {
            WarmUp.ONE.apply(Side.of(() -> Map.of(COUNTED, rate(s.client(), spec, "", Sse::countResults))), m);
            // right after 2a, which warmed the same paths up
            WarmUp.NO_WARM_UP.apply(Side.of(() -> Map.of(PARSED, rate(s.client(), spec, "", Sse::parseResults))), m);
            WarmUp.ONE.apply(Side.of(() -> Map.of(FEW_FIELDS, rate(s.client(), spec, "?fields=seq,value",
                    Sse::countResults))), m);
        }
    }

    private static double rate(Client client, RunSpec spec, String query, Reader reader) throws Exception {
        long began = System.nanoTime();
        try (Socket socket = client.follow(spec, query)) {
            long results = reader.results(socket.getInputStream());
            double rate = results / ((System.nanoTime() - began) / 1e9);
            if (results != spec.items()) {
                throw new IllegalStateException("received " + results + " of " + spec.items());
            }
            return rate;
        }
    }

    @Override
    public List<Row> rows(Measurements m) {
        List<Target> none = List.of();
        return List.of(
                new Row("2a", "scenario 1's run followed from its start by one client (`POST` with `Accept: "
                        + "text/event-stream`, default settings, every result), counting events as `curl | grep -c` "
                        + "does", List.of(Target.Bound.of(COUNTED, Target.Op.AT_LEAST, 500_000)), m.show(COUNTED),
                        "-", "-"),
                new Row("2b", "the same, the client parsing each event's JSON (Jackson)", none, m.show(PARSED), "-",
                        "-"),
                new Row("2c", "the same with `?fields=seq,value`, counting events",
                        List.of(Target.Bound.of(FEW_FIELDS, Target.Op.AT_LEAST, 1_000_000)), m.show(FEW_FIELDS), "-",
                        "-"));
    }
}
