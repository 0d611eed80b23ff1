package dev.mlpipe.bench;

import java.io.IOException;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 4: many SSE clients on one run of {@value #ITEMS} items at 1 ms; every client must receive every result and the
 * end. Lag = when a client read a result - the result's {@code finishedUs} (the client's clock anchored as the
 * service's is: wall time at a nanoTime). A one-item run holds the model first (15 ms a client, at least 3 s), so that
 * every client is connected before the first result: the figures are about live delivery, not replaying history. One
 * warm-up round of the same, then one that counts. No baseline: the plain-threads design has no clients.
 */
final class FanOut implements Scenario {

    static final int ITEMS = 2000;
    static final Figure INCOMPLETE = new Figure("s4.incompleteClients", Unit.COUNT, "%.0f");
    static final Figure P50 = new Figure("s4.lagP50Ms", Unit.MILLISECONDS, "%,.1f");
    static final Figure P99 = new Figure("s4.lagP99Ms", Unit.MILLISECONDS, "%,.1f");
    static final List<Target> TARGETS = List.of(
            Target.Bound.of(INCOMPLETE, Target.Op.AT_MOST, 0).labelled("clients incomplete").inEveryRun(),
            Target.Bound.of(P99, Target.Op.BELOW, 250).labelled("p99"));

    @Override
    public String id() {
        return "4";
    }

    @Override
    public String group() {
        return "fan-out";
    }

    @Override
    public List<Figure> figures() {
        return List.of(INCOMPLETE, P50, P99);
    }

    static int clients(Options options) {
        return options.smoke() ? 100 : 1000;
    }

    @Override
    public void measure(Harness h, Measurements m) throws Exception {
        try (Service s = h.mlpipe(Map.of())) {
            WarmUp.ONE.apply(Side.of(() -> round(s.client(), clients(h.options()))), m);
        }
    }

    private static Map<Figure, Double> round(Client client, int clients) throws Exception {
        // a cold JVM took more than 4 s to take a thousand connections, so the hold is generous and the harness says
        // if it was not
        long holdMs = Math.max(3000, clients * 15L);
        long heldAt = System.nanoTime();
        client.blockModel((int) holdMs);
        Instant now = Instant.now();
        long anchorUs = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000L - System.nanoTime() / 1_000L;
        RunSpec spec = RunSpec.listed(ITEMS, 1);
        String id = client.start(spec);
        long[][] lags = new long[clients][];
        AtomicInteger complete = new AtomicInteger();
        CountDownLatch connected = new CountDownLatch(clients);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int at = c;
            Thread t = new Thread(() -> {
                long[] lag = new long[ITEMS];
                int n = 0;
                try (Socket socket = client.stream(id)) {
                    connected.countDown();
                    Sse.FinishedTimes events = new Sse.FinishedTimes(socket.getInputStream());
                    for (long finishedUs; (finishedUs = events.next()) >= 0;) {
                        if (n < lag.length) {
                            lag[n++] = anchorUs + System.nanoTime() / 1_000L - finishedUs;
                        }
                    }
                    if (n == ITEMS && events.ended()) {
                        complete.incrementAndGet();
                    }
                } catch (IOException e) {
                    connected.countDown();
                }
                lags[at] = Arrays.copyOf(lag, n);
            }, "fan-out-" + c);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        connected.await(60, TimeUnit.SECONDS);
        long connectedMs = (System.nanoTime() - heldAt) / 1_000_000;
        if (connectedMs > holdMs) {
            Bench.log("    WARNING the clients took %d ms to connect, longer than the model was held (%d ms)",
                    connectedMs, holdMs);
        }
        for (Thread t : threads) {
            t.join(120_000);
        }
        long[] all = Arrays.stream(lags).filter(l -> l != null).flatMapToLong(Arrays::stream).sorted().toArray();
        if (all.length == 0) {
            throw new IllegalStateException("no client received a result");
        }
        return Side.values(INCOMPLETE, (double) (clients - complete.get()), P50, all[all.length / 2] / 1e3,
                P99, all[(int) (all.length * 0.99)] / 1e3);
    }

    @Override
    public List<Row> rows(Measurements m) {
        return List.of(new Row(id(), "fan-out: SSE clients on one run of " + String.format("%,d", ITEMS) + " items at "
                + "1 ms (1,000 clients; 100 in a smoke run): lag from result to client", TARGETS,
                m.number(INCOMPLETE) + " clients incomplete; p50 " + m.show(P50) + ", p99 " + m.show(P99), "-", "-"));
    }
}
