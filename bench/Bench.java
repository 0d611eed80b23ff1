import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Runs every benchmark scenario of bench/README.md several times against the packaged service, with the baseline
 * (Baseline.java) measured in the same run, and writes the medians to BENCHMARKS.md between its bench markers.
 * Started by bench/run.sh, which builds what this needs.
 */
public class Bench {

    static String jar = "target/quarkus-app/quarkus-run.jar";
    /** The JVM options README.md recommends for production: a small, fixed heap and the serial collector. */
    static final List<String> RECOMMENDED = List.of("-XX:+UseSerialGC", "-Xmx256m", "-Xmn32m",
            "-XX:+ExitOnOutOfMemoryError");
    /** The class-data archive packaging writes; it holds only when the service starts from inside quarkus-app. */
    static final String CDS = "-XX:SharedArchiveFile=app-cds.jsa";
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final long ANCHOR_US = anchor();

    static int repeats = 5;
    static boolean smoke;
    static Path out = Path.of("BENCHMARKS.md");
    static String command = "bench/run.sh";
    static String baselineClasspath;
    /**
     * One scenario group to run on its own (fan-out, overhead, stream, pipeline, batch-throughput, batch-efficiency),
     * for an A/B of two jars; its figures and their medians are printed, BENCHMARKS.md is left alone.
     */
    static String only;

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                case "--smoke" -> smoke = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--command" -> command = args[++i];
                case "--baseline-cp" -> baselineClasspath = args[++i];
                case "--jar" -> jar = args[++i];
                case "--only" -> only = args[++i];
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        int millionItems = smoke ? 100_000 : 1_000_000;
        int fanOutClients = smoke ? 100 : 1000;
        Map<String, List<Double>> m = new LinkedHashMap<>();
        if (only != null) {
            one(only, millionItems, fanOutClients);
            return;
        }

        for (int r = 1; r <= repeats; r++) {
            log("repeat %d of %d", r, repeats);
            add(m, "baseline.itemsPerSecond", Double.parseDouble(baseline("throughput", Integer.toString(millionItems))));
            add(m, "baseline.efficiency1", Double.parseDouble(baseline("delay", "500", "10", "1")));
            add(m, "baseline.efficiency8", Double.parseDouble(baseline("delay", "500", "10", "8")));
            String[] handoff = baseline("handoff", "1000", "2000", "1000").split(" ");
            add(m, "baseline.handoffP50Us", Double.parseDouble(handoff[0]));
            add(m, "baseline.handoffP99Us", Double.parseDouble(handoff[1]));
            double[] bare = bareJvm();
            add(m, "baseline.startMs", bare[0]);
            add(m, "baseline.rssMb", bare[1]);

            try (Service service = Service.start(Map.of())) {
                add(m, "service.startMs", service.startMillis);
                add(m, "s1.itemsPerSecond", inProcess(service, millionItems, 2));
                efficiency(service, 1); // warms the JIT up for the delayed path
                add(m, "s3.efficiency1", efficiency(service, 1));
                double[] fanOut = fanOut(service, fanOutClients);
                add(m, "s4.complete", fanOut[0]);
                add(m, "s4.lagP99Ms", fanOut[1]);
                add(m, "s4.lagP50Ms", fanOut[2]);
                double[] overhead = overhead(service);
                add(m, "s5.overheadP50Us", overhead[0]);
                add(m, "s5.overheadP99Us", overhead[1]);
            }
            // scenario 2 with the default settings: a client that follows a run from its start gets every result
            try (Service service = Service.start(Map.of())) {
                followedRun(service, millionItems, null, false); // warms the JIT up
                add(m, "s2.eventsPerSecond", followedRun(service, millionItems, null, false));
                add(m, "s2p.eventsPerSecond", followedRun(service, millionItems, null, true));
                followedRun(service, millionItems, "seq,value", false);
                add(m, "s2f.eventsPerSecond", followedRun(service, millionItems, "seq,value", false));
            }
            batchThroughput(m, millionItems);
            batchEfficiencies(m, smoke ? 200 : 2000);
            try (Service service = Service.start(Map.of(), RECOMMENDED)) {
                double[] kept = keptRun(service, millionItems);
                add(m, "s7.heapGrowthMb", kept[0]);
                add(m, "s7.bytesPerResult", kept[1]);
            }
            try (Service service = Service.start(Map.of("mlpipe.model.concurrency", "8"))) {
                efficiency(service, 8);
                add(m, "s3.efficiency8", efficiency(service, 8));
            }
            try (Service service = Service.start(Map.of(), List.of())) {
                add(m, "s6.startMs", service.startMillis);
                inProcess(service, 100_000, 0);
                add(m, "s6.rssMb", service.rssMb());
            }
            try (Service service = Service.start(Map.of(), RECOMMENDED)) {
                add(m, "s6r.startMs", service.startMillis);
                inProcess(service, 100_000, 0);
                add(m, "s6r.rssMb", service.rssMb());
            }
            List<String> withArchive = new ArrayList<>(RECOMMENDED);
            withArchive.add(CDS);
            try (Service service = Service.start(Map.of(), withArchive)) {
                add(m, "s6c.startMs", service.startMillis);
                inProcess(service, 100_000, 0);
                add(m, "s6c.rssMb", service.rssMb());
            }
        }
        write(m, millionItems, fanOutClients);
    }

    /** Runs one scenario group {@code repeats} times, each on a fresh service, printing each figure. */
    static void one(String scenario, int millionItems, int fanOutClients) throws Exception {
        Map<String, List<Double>> m = new LinkedHashMap<>();
        for (int r = 1; r <= repeats; r++) {
            if (scenario.equals("batch-throughput")) {
                batchThroughput(m, millionItems);
                continue;
            }
            if (scenario.equals("batch-efficiency")) {
                batchEfficiencies(m, smoke ? 200 : 2000);
                continue;
            }
            try (Service service = Service.start(Map.of())) {
                switch (scenario) {
                    case "pipeline" -> {
                        inProcess(service, millionItems, 2);
                    }
                    case "stream" -> {
                        followedRun(service, millionItems, null, false);
                        followedRun(service, millionItems, null, false);
                        followedRun(service, millionItems, "seq,value", false);
                    }
                    case "fan-out" -> {
                        efficiency(service, 1); // warms the JIT up, as in the full run
                        fanOut(service, fanOutClients);
                    }
                    case "overhead" -> {
                        efficiency(service, 1);
                        overhead(service);
                    }
                    default -> throw new IllegalArgumentException("no scenario group " + scenario);
                }
            }
        }
        for (String key : m.keySet()) {
            log("median %s: %.4g (of %s)", key, median(m, key), all(m, key, "%.4g"));
        }
    }

    // ---- scenarios ---------------------------------------------------------------------------------------------

    /**
     * 1: items/s of a run with no inference delay, from its start to its last result, read from its statistics, after
     * {@code warmUps} runs that warm the JIT up.
     */
    static double inProcess(Service s, int items, int warmUps) throws Exception {
        for (int warmUp = 0; warmUp < warmUps; warmUp++) {
            inProcessRun(s, items);
        }
        return inProcessRun(s, items);
    }

    /**
     * 1b: items/s of a run with no inference delay in steady state: the median of three runs made once the
     * service's heap has filled and been collected in full (two runs before at least, for the JIT, and at most
     * {@link #MAX_WARM_UPS}; the log says if the heap had not filled by then: a collector whose full collections
     * have another cause than the serial one's "Allocation Failure" would not be seen). A fresh service
     * is slower at first, and not only while its JIT compiles: until then each page of the old generation is touched
     * for the first time as collections promote into it, and on the VM measured here that cost a young collection 15
     * to 25 ms against 2 ms after (BENCHMARKS.md, "Batches end to end"). The first run's figure is logged too.
     */
    static double steadyInProcess(Service s, int items) throws Exception {
        double first = inProcessRun(s, items);
        int warmUps = 1;
        while ((warmUps < 2 || s.fullCollections() == 0) && warmUps < MAX_WARM_UPS) { // two at least, for the JIT
            inProcessRun(s, items);
            warmUps++;
        }
        List<Double> rates = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            rates.add(inProcessRun(s, items));
        }
        Collections.sort(rates);
        log("  1 steady: %,.0f items/s, the median of 3 runs after %d%s (the first run: %,.0f items/s)", rates.get(1),
                warmUps, s.fullCollections() > 0 ? " that filled the heap" : ", the heap NOT yet full", first);
        return rates.get(1);
    }

    static final int MAX_WARM_UPS = 12;

    /** One run of scenario 1: its items/s, from its start to its last result, read from its statistics. */
    static double inProcessRun(Service s, int items) throws Exception {
        String id = s.start("{\"min\":1,\"max\":2000000000,\"sentinel\":1,\"seed\":1,\"maxItems\":" + items
                + ",\"inferenceMs\":0}");
        String end = s.awaitEnd(id);
        double rate = number(end, "throughput");
        Matcher batches = Pattern.compile("\"sizeMean\":([0-9.]+)").matcher(end);
        log("  1 in-process: %,.0f items/s%s", rate, batches.find() ? ", batches of " + batches.group(1) + " on average" : "");
        return rate;
    }

    /**
     * 2: a run of {@code items} followed from its start by one client: {@code POST /api/runs} with
     * {@code Accept: text/event-stream}; events/s from the response to the end event. The client either counts events
     * in the raw bytes, as {@code curl | grep -c} would, or parses each event's JSON with Jackson, as a consumer would.
     */
    static double followedRun(Service s, int items, String fields, boolean parse) throws Exception {
        String spec = "{\"min\":1,\"max\":2000000000,\"sentinel\":2000000000,\"seed\":1,\"maxItems\":" + items
                + ",\"inferenceMs\":0}";
        try (Socket socket = s.follow(spec, fields == null ? "" : "?fields=" + fields)) {
            long began = System.nanoTime();
            long results = parse ? parsedResults(socket.getInputStream()) : countedResults(socket.getInputStream());
            double rate = results / ((System.nanoTime() - began) / 1e9);
            if (results != items) {
                throw new IllegalStateException("received " + results + " of " + items);
            }
            log("  2 one client following a run%s, %s: %,.0f events/s", fields == null ? "" : " (fields " + fields + ")",
                    parse ? "parsing JSON" : "counting events", rate);
            return rate;
        }
    }

    /** Counts result events in the raw bytes up to the end event, without decoding them. */
    static long countedResults(InputStream in) throws IOException {
        byte[] result = "event: result".getBytes(StandardCharsets.US_ASCII);
        byte[] end = "event: end".getBytes(StandardCharsets.US_ASCII);
        byte[] buffer = new byte[1 << 16];
        long count = 0;
        int matchedResult = 0;
        int matchedEnd = 0;
        for (int n; (n = in.read(buffer)) > 0;) {
            for (int i = 0; i < n; i++) {
                byte b = buffer[i];
                matchedResult = b == result[matchedResult] ? matchedResult + 1 : (b == result[0] ? 1 : 0);
                if (matchedResult == result.length) {
                    count++;
                    matchedResult = 0;
                }
                matchedEnd = b == end[matchedEnd] ? matchedEnd + 1 : (b == end[0] ? 1 : 0);
                if (matchedEnd == end.length) {
                    return count;
                }
            }
        }
        throw new IllegalStateException("the stream ended without its end event after " + count + " results");
    }

    /** Parses every event and its JSON, checking each seq follows the last, up to the end event. */
    static long parsedResults(InputStream in) throws IOException {
        JsonFactory json = new JsonFactory();
        long results = 0;
        long lastSeq = 0;
        StreamReader reader = new StreamReader(in);
        for (Event e; (e = reader.next()) != null;) {
            if (e.type.equals("result")) {
                long seq = seqOf(json, e.data);
                if (seq != lastSeq + 1) {
                    throw new IllegalStateException("seq " + seq + " after " + lastSeq);
                }
                lastSeq = seq;
                results++;
            } else if (e.type.equals("end")) {
                return results;
            }
        }
        throw new IllegalStateException("the stream ended without its end event after " + results + " results");
    }

    /**
     * 7: the heap a kept run of {@code items} takes, with the recommended options: {MB above idle after a full GC,
     * bytes per kept result}.
     */
    static double[] keptRun(Service s, int items) throws Exception {
        double idle = s.heapUsedAfterGcMb();
        s.awaitEnd(s.start("{\"min\":1,\"max\":2000000000,\"sentinel\":2000000000,\"seed\":1,\"maxItems\":"
                + items + ",\"inferenceMs\":0}"));
        double grown = s.heapUsedAfterGcMb() - idle;
        double perResult = grown * 1024 * 1024 / items;
        log("  7 a run of %,d items kept whole: heap %.1f MB above idle, %.0f bytes a result", items, grown, perResult);
        return new double[] { grown, perResult };
    }

    /** What a listed run of {@code count} items of 10 ms showed its one client: first load to last result. */
    record Span(long firstLoadedUs, long lastFinishedUs, int results, int largestBatch) {
        long us() {
            return lastFinishedUs - firstLoadedUs;
        }
    }

    static Span tenMsRun(Service s, int count) throws Exception {
        String items = IntStream.rangeClosed(1, count).mapToObj(i -> Integer.toString(i % 60 + 1))
                .collect(Collectors.joining(",", "[", "]"));
        String id = s.start("{\"items\":" + items + ",\"sentinel\":-1,\"inferenceMs\":10}");
        long firstLoaded = Long.MAX_VALUE;
        long lastFinished = 0;
        int results = 0;
        int largest = 0;
        try (Socket socket = s.stream(id, 0)) {
            StreamReader reader = new StreamReader(socket.getInputStream());
            for (Event e; (e = reader.next()) != null && !e.type.equals("end");) {
                if (e.type.equals("result")) {
                    firstLoaded = Math.min(firstLoaded, field(e.data, "\"loadedUs\":"));
                    lastFinished = Math.max(lastFinished, field(e.data, "\"finishedUs\":"));
                    largest = Math.max(largest, (int) field(e.data, "\"batchSize\":"));
                    results++;
                }
            }
        }
        return new Span(firstLoaded, lastFinished, results, largest);
    }

    /** 3: ideal time / actual time, first load to last result, of 500 items of 10 ms. */
    static double efficiency(Service s, int concurrency) throws Exception {
        Span span = tenMsRun(s, 500);
        double efficiency = 500 * 10_000.0 / concurrency / span.us();
        log("  3 efficiency at concurrency %d: %.4f (%d results)", concurrency, efficiency, span.results());
        return efficiency;
    }

    /** The batch sizes of scenarios 1b and 3c. */
    static final int[] EFFICIENCY_BATCHES = { 1, 8, 32 };
    static final int THROUGHPUT_BATCH = 64;
    /** mlpipe.model.batch-item-cost's default: a batch of n takes (1 + 0.05 (n - 1)) one-item inferences. */
    static final double ITEM_COST = 0.05;

    /**
     * 1b: scenario 1 with {@code mlpipe.model.max-batch-size} 1 and {@value #THROUGHPUT_BATCH} side by side, each on a
     * service of its own with a queue of 1024 places (with no batch delay, a batch takes what is queued: a queue of 10
     * would keep batches at 10).
     */
    static void batchThroughput(Map<String, List<Double>> m, int items) throws Exception {
        for (int batch : new int[] { 1, THROUGHPUT_BATCH }) {
            try (Service service = Service.start(Map.of("mlpipe.model.max-batch-size", Integer.toString(batch),
                    "mlpipe.queue.capacity", "1024"))) {
                log("  1b max-batch-size %d:", batch);
                add(m, "s1b.itemsPerSecond.batch" + batch, steadyInProcess(service, items));
            }
        }
    }

    /**
     * 3c: {@code items} of {@code inferenceMs: 10}, loader unpaced, one model slot, at each max batch size: the time
     * the batch-cost setting predicts for full batches (the last one holding the rest) / the actual time (first item
     * loaded to last finished). The queue has twice the batch's places (at least 10), so it holds a full batch
     * whenever the model is ready for one.
     */
    static void batchEfficiencies(Map<String, List<Double>> m, int items) throws Exception {
        for (int batch : EFFICIENCY_BATCHES) {
            try (Service service = Service.start(Map.of("mlpipe.model.max-batch-size", Integer.toString(batch),
                    "mlpipe.queue.capacity", Integer.toString(Math.max(10, 2 * batch))))) {
                batchEfficiency(service, batch, Math.min(items, 200)); // warms the JIT up
                add(m, "s3c.efficiency.batch" + batch, batchEfficiency(service, batch, items));
            }
        }
    }

    static double batchEfficiency(Service s, int batch, int count) throws Exception {
        Span span = tenMsRun(s, count);
        double oneBatchUs = 10_000.0 * (1 + ITEM_COST * (batch - 1));
        int rest = count % batch;
        double predicted = count / batch * oneBatchUs + (rest == 0 ? 0 : 10_000.0 * (1 + ITEM_COST * (rest - 1)));
        double efficiency = predicted / span.us();
        log("  3c efficiency at max-batch-size %d: %.4f (%d results, predicted %.0f ms, took %.0f ms, largest batch %d)",
                batch, efficiency, span.results(), predicted / 1e3, span.us() / 1e3, span.largestBatch());
        return efficiency;
    }

    /** 4: clients on one run of 2000 items at 1 ms each: {all complete ? 1 : 0, p99 lag ms, p50 lag ms}. */
    static double[] fanOut(Service s, int clients) throws Exception {
        // everyone connects before the first result, or the figures would be about replaying history; a cold JVM took
        // more than 4 s to take a thousand connections, so the block is generous and the harness says if it was not
        long blockMs = Math.max(3000, clients * 15L);
        long blockedAt = System.nanoTime();
        s.blockModel((int) blockMs);
        String items = IntStream.rangeClosed(1, 2000).mapToObj(i -> Integer.toString(i % 60 + 1))
                .collect(Collectors.joining(",", "[", "]"));
        String id = s.start("{\"items\":" + items + ",\"sentinel\":-1,\"inferenceMs\":1}");
        long[][] lags = new long[clients][];
        boolean[] complete = new boolean[clients];
        CountDownLatch connected = new CountDownLatch(clients);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                long[] lag = new long[2000];
                int n = 0;
                try (Socket socket = s.stream(id, 0)) {
                    connected.countDown();
                    FinishedTimes events = new FinishedTimes(socket.getInputStream());
                    for (long finishedUs; (finishedUs = events.next()) >= 0;) {
                        if (n < lag.length) {
                            lag[n++] = nowUs() - finishedUs;
                        }
                    }
                    complete[client] = n == 2000 && events.ended;
                } catch (IOException e) {
                    connected.countDown();
                }
                lags[client] = Arrays.copyOf(lag, n);
            }, "fan-out-" + c);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        connected.await(60, TimeUnit.SECONDS);
        long connectedMs = (System.nanoTime() - blockedAt) / 1_000_000;
        if (connectedMs > blockMs) {
            log("  4 fan-out: WARNING the clients took %d ms to connect, longer than the model was held (%d ms)",
                    connectedMs, blockMs);
        }
        for (Thread t : threads) {
            t.join(120_000);
        }
        long[] all = Arrays.stream(lags).filter(l -> l != null).flatMapToLong(Arrays::stream).sorted().toArray();
        int completed = 0;
        for (boolean ok : complete) {
            completed += ok ? 1 : 0;
        }
        double p99 = all.length == 0 ? Double.NaN : all[(int) (all.length * 0.99)] / 1e3;
        double p50 = all.length == 0 ? Double.NaN : all[all.length / 2] / 1e3;
        log("  4 fan-out: %d of %d clients complete, lag p50 %.1f ms p99 %.1f ms", completed, clients, p50, p99);
        return new double[] { completed == clients ? 1 : 0, p99, p50 };
    }

    /** 5: enqueue to result, minus the 1 ms inference, at half the model's capacity (an item every 2 ms): p50, p99 us. */
    static double[] overhead(Service s) throws Exception {
        String items = IntStream.rangeClosed(1, 1000).mapToObj(i -> Integer.toString(i % 60 + 1))
                .collect(Collectors.joining(",", "[", "]"));
        String id = s.start("{\"items\":" + items + ",\"sentinel\":-1,\"inferenceMs\":1,\"loadIntervalMs\":2}");
        List<Long> overhead = new ArrayList<>();
        try (Socket socket = s.stream(id, 0)) {
            StreamReader reader = new StreamReader(socket.getInputStream());
            for (Event e; (e = reader.next()) != null && !e.type.equals("end");) {
                if (e.type.equals("result")) {
                    overhead.add(field(e.data, "\"finishedUs\":") - field(e.data, "\"enqueuedUs\":") - 1000);
                }
            }
        }
        long[] sorted = overhead.stream().mapToLong(Long::longValue).sorted().toArray();
        double p50 = sorted[sorted.length / 2];
        double p99 = sorted[(int) (sorted.length * 0.99)];
        log("  5 overhead per item: p50 %.0f us, p99 %.0f us", p50, p99);
        return new double[] { p50, p99 };
    }

    /** 6 (baseline): a bare JVM, start to its first line, and its RSS. */
    static double[] bareJvm() throws Exception {
        long start = System.nanoTime();
        Process p = new ProcessBuilder(java(), "-cp", baselineClasspath, "Baseline", "idle").start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            r.readLine();
            double ms = (System.nanoTime() - start) / 1e6;
            return new double[] { ms, rssMb(p.pid()) };
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    // ---- the service under test ---------------------------------------------------------------------------------

    static final class Service implements AutoCloseable {
        final Process process;
        final int port;
        final int managementPort;
        final double startMillis;

        private Service(Process process, int port, int managementPort, double startMillis) {
            this.process = process;
            this.port = port;
            this.managementPort = managementPort;
            this.startMillis = startMillis;
        }

        /**
         * A service with the JVM options README.md gives for production, as the Dockerfile runs it. With plain
         * {@code java -jar} (scenario 6a) a fresh JVM on this machine sizes G1's heap from its 24 GiB and spends the
         * first runs growing into it: every new page a fault, which took scenario 4's p99 from under 200 ms to 1.4 s.
         */
        static Service start(Map<String, String> settings) throws Exception {
            return start(settings, RECOMMENDED);
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }

        static Service start(Map<String, String> settings, List<String> jvmOptions) throws Exception {
            int port = freePort();
            int managementPort = freePort();
            List<String> cmd = new ArrayList<>(List.of(java()));
            cmd.addAll(jvmOptions);
            String extra = System.getProperty("bench.jvm");
            if (extra != null) {
                cmd.addAll(List.of(extra.split(" ")));
            }
            // on this machine only, where the service is open without a password (README.md, "Security"); the
            // benchmark is one client (127.0.0.1) that may take all: 1,000 streams on one run in scenario 4
            cmd.addAll(List.of("-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                    "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort,
                    "-Dquarkus.log.level=WARN", "-Dmlpipe.runs.retained=4",
                    "-Dmlpipe.limits.runs-per-client=100", "-Dmlpipe.limits.streams-per-client=2000"));
            settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            java.io.File app = new java.io.File(jar).getAbsoluteFile().getParentFile();
            cmd.addAll(List.of("-jar", jvmOptions.contains(CDS) ? "quarkus-run.jar" : new java.io.File(jar).getAbsolutePath()));
            long began = System.nanoTime();
            ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(new java.io.File("target/bench-service.log").getAbsoluteFile());
            if (jvmOptions.contains(CDS)) {
                builder.directory(app);
            }
            Process process = builder.start();
            URI ready = URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready");
            while (true) {
                try {
                    if (HTTP.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException("the service exited; see target/bench-service.log");
                }
                if (System.nanoTime() - began > 60_000_000_000L) {
                    throw new IllegalStateException("the service did not get ready in 60 s");
                }
                Thread.sleep(5);
            }
            double ms = (System.nanoTime() - began) / 1e6;
            log("  service%s%s ready in %.0f ms", settings.isEmpty() ? "" : " " + settings,
                    jvmOptions.isEmpty() ? "" : " " + jvmOptions, ms);
            return new Service(process, port, managementPort, ms);
        }

        String start(String spec) throws Exception {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri("/api/runs"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(spec)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new IllegalStateException(r.statusCode() + " " + r.body());
            }
            return text(r.body(), "id");
        }

        /** Occupies the model with one item for this long, so that clients can connect before a run flows. */
        void blockModel(int millis) throws Exception {
            start("{\"items\":[1],\"inferenceMs\":" + Math.min(60_000, millis) + "}");
        }

        String awaitEnd(String id) throws Exception {
            while (true) {
                String run = HTTP.send(HttpRequest.newBuilder(uri("/api/runs/" + id)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (!run.contains("\"state\":\"running\"")) {
                    return run;
                }
                Thread.sleep(20);
            }
        }

        /** Starts a run and follows it on the same response. */
        Socket follow(String spec, String query) throws IOException {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(1 << 20);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(120_000);
            byte[] body = spec.getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(("POST /api/runs" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            return socket;
        }

        /** Heap in use right after a full collection, read with the JDK's own tools. */
        double heapUsedAfterGcMb() throws Exception {
            run("jcmd", Long.toString(process.pid()), "GC.run");
            String[] lines = run("jstat", "-gc", Long.toString(process.pid())).trim().split("\n");
            String[] names = lines[0].trim().split("\\s+");
            String[] values = lines[1].trim().split("\\s+");
            double kb = 0;
            for (int i = 0; i < names.length; i++) {
                if (List.of("S0U", "S1U", "EU", "OU").contains(names[i])) {
                    kb += Double.parseDouble(values[i]);
                }
            }
            return kb / 1024;
        }

        Socket stream(String id, long lastEventId) throws IOException {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(1 << 20);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(120_000);
            socket.getOutputStream().write(("GET /api/runs/" + id + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return socket;
        }

        double rssMb() throws IOException {
            return Bench.rssMb(process.pid());
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + port + path);
        }

        /** Full collections for want of room in the heap (not the one at start for class metadata), from its metrics. */
        long fullCollections() throws Exception {
            String text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                    + "/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher count = Pattern.compile("^jvm_gc_pause_seconds_count\\{action=\"end of major GC\","
                    + "cause=\"Allocation Failure\"[^}]*} (\\S+)$", Pattern.MULTILINE).matcher(text);
            return count.find() ? (long) Double.parseDouble(count.group(1)) : 0;
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    // ---- reading server-sent events ----------------------------------------------------------------------------

    record Event(String type, String data) {
    }

    /** A minimal SSE parser over a raw HTTP/1.1 chunked response: enough for events whose data is one line. */
    static final class StreamReader {
        private final BufferedReader in;

        StreamReader(InputStream in) {
            this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        }

        Event next() throws IOException {
            String type = null;
            String data = null;
            for (String line; (line = in.readLine()) != null;) {
                if (line.startsWith("event: ")) {
                    type = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data = line.substring(6);
                } else if (line.isEmpty() && type != null) {
                    return new Event(type, data);
                }
                // anything else: headers, chunk sizes, ids, comments
            }
            return null;
        }
    }

    /**
     * The {@code finishedUs} of each result event, read straight from the bytes: a thousand clients on two cores must
     * cost little, or scenario 4 measures them rather than the service.
     */
    static final class FinishedTimes {
        private static final byte[] KEY = "\"finishedUs\":".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] END = "event: end".getBytes(StandardCharsets.US_ASCII);
        private final InputStream in;
        private final byte[] buffer = new byte[1 << 16];
        private int at;
        private int length;
        private int matchedKey;
        private int matchedEnd;
        boolean ended;

        FinishedTimes(InputStream in) {
            this.in = in;
        }

        /** @return false if the stream has ended */
        private boolean fill() throws IOException {
            length = in.read(buffer);
            at = 0;
            return length > 0;
        }

        /** @return the next result's finishedUs, or -1 after the end event (or if the stream ends) */
        long next() throws IOException {
            while (true) {
                if (at == length && !fill()) {
                    return -1;
                }
                byte b = buffer[at++];
                matchedEnd = b == END[matchedEnd] ? matchedEnd + 1 : (b == END[0] ? 1 : 0);
                if (matchedEnd == END.length) {
                    ended = true;
                    return -1;
                }
                matchedKey = b == KEY[matchedKey] ? matchedKey + 1 : (b == KEY[0] ? 1 : 0);
                if (matchedKey == KEY.length) {
                    matchedKey = 0;
                    long value = 0;
                    while (true) {
                        if (at == length && !fill()) {
                            return -1;
                        }
                        byte digit = buffer[at];
                        if (digit < '0' || digit > '9') {
                            return value;
                        }
                        value = value * 10 + (digit - '0');
                        at++;
                    }
                }
            }
        }
    }

    static long seqOf(JsonFactory json, String data) throws IOException {
        try (JsonParser p = json.createParser(data)) {
            long seq = -1;
            while (p.nextToken() != null) {
                if (p.currentToken() == JsonToken.FIELD_NAME && "seq".equals(p.currentName())) {
                    p.nextToken();
                    seq = p.getLongValue();
                }
            }
            return seq;
        }
    }

    static long field(String json, String key) {
        int at = json.indexOf(key) + key.length();
        long value = 0;
        for (int i = at; i < json.length() && Character.isDigit(json.charAt(i)); i++) {
            value = value * 10 + (json.charAt(i) - '0');
        }
        return value;
    }

    static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([0-9.eE+-]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + key + " in " + json);
        }
        return Double.parseDouble(m.group(1));
    }

    static String text(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + key + " in " + json);
        }
        return m.group(1);
    }

    // ---- the baseline, the machine, the report -------------------------------------------------------------------

    static String baseline(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), "-cp", baselineClasspath, "Baseline"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("baseline " + String.join(" ", args) + ": " + output);
        }
        return output;
    }

    /** Runs one of the JDK's tools (jcmd, jstat) beside the java running this. */
    static String run(String tool, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(java()).resolveSibling(tool).toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + output);
        }
        return output;
    }

    static double rssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static long nowUs() {
        return ANCHOR_US + System.nanoTime() / 1_000L;
    }

    static long anchor() {
        Instant now = Instant.now();
        long nanos = System.nanoTime();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000L - nanos / 1_000L;
    }

    static void add(Map<String, List<Double>> m, String key, double value) {
        m.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }

    static double median(Map<String, List<Double>> m, String key) {
        double[] v = m.get(key).stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static String all(Map<String, List<Double>> m, String key, String format) {
        return m.get(key).stream().map(v -> String.format(Locale.ROOT, format, v)).collect(Collectors.joining(", "));
    }

    static void log(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }

    static void write(Map<String, List<Double>> m, int millionItems, int fanOutClients) throws IOException {
        double base = median(m, "baseline.itemsPerSecond");
        double s1 = median(m, "s1.itemsPerSecond");
        double s2 = median(m, "s2.eventsPerSecond");
        double s2p = median(m, "s2p.eventsPerSecond");
        double s2f = median(m, "s2f.eventsPerSecond");
        double heap = median(m, "s7.heapGrowthMb");
        double perResult = median(m, "s7.bytesPerResult");
        double e1 = median(m, "s3.efficiency1");
        double e8 = median(m, "s3.efficiency8");
        double b1 = median(m, "baseline.efficiency1");
        double b8 = median(m, "baseline.efficiency8");
        double lag99 = median(m, "s4.lagP99Ms");
        double lag50 = median(m, "s4.lagP50Ms");
        double complete = m.get("s4.complete").stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double o50 = median(m, "s5.overheadP50Us");
        double o99 = median(m, "s5.overheadP99Us");
        double h50 = median(m, "baseline.handoffP50Us");
        double h99 = median(m, "baseline.handoffP99Us");
        double start = median(m, "s6.startMs");
        double rss = median(m, "s6.rssMb");
        double startR = median(m, "s6r.startMs");
        double rssR = median(m, "s6r.rssMb");
        double startC = median(m, "s6c.startMs");
        double rssC = median(m, "s6c.rssMb");
        double bareStart = median(m, "baseline.startMs");
        double bareRss = median(m, "baseline.rssMb");
        double batch1 = median(m, "s1b.itemsPerSecond.batch1");
        double batch64 = median(m, "s1b.itemsPerSecond.batch" + THROUGHPUT_BATCH);

        StringBuilder t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "Measured on %s: %s, %d cores, %s; JDK %s. Medians of %d runs of every "
                + "scenario in one run of `%s`%s. The service runs with the JVM options README.md gives for production "
                + "(`%s`), but in 6a.%n%n", LocalDate.now(), cpu(), Runtime.getRuntime().availableProcessors(),
                memory(), System.getProperty("java.version"), repeats, command,
                smoke ? " (smoke: smaller runs, not comparable)" : "", String.join(" ", RECOMMENDED)));
        t.append("| # | scenario | target | mlpipe | baseline, same run | ratio | met |\n|---|---|---|---|---|---|---|\n");
        row(t, "1", String.format(Locale.ROOT, "in-process pipeline, `inferenceMs: 0`, %,d items, capacity 10", millionItems),
                ">= 1,000,000 items/s, >= 10x", fmt("%,.0f items/s", s1), fmt("%,.0f items/s", base),
                fmt("%.2fx", s1 / base), s1 >= 1_000_000 && s1 / base >= 10);
        row(t, "1b", String.format(Locale.ROOT, "the same run in steady state (the median of three once the heap "
                + "has filled), capacity 1024, `mlpipe.model.max-batch-size` 1 against %d", THROUGHPUT_BATCH), ">= 1,000,000 items/s at 1, >= 3,000,000 at " + THROUGHPUT_BATCH,
                fmt("%,.0f items/s at 1, %,.0f at %d", batch1, batch64, THROUGHPUT_BATCH), fmt("%,.0f items/s", base),
                fmt("%.2fx, %.2fx", batch1 / base, batch64 / base), batch1 >= 1_000_000 && batch64 >= 3_000_000);
        row(t, "2a", "the same run followed from its start by one client (`POST` with `Accept: text/event-stream`, "
                + "default settings, every result), counting events as `curl | grep -c` does", ">= 500,000 events/s",
                fmt("%,.0f events/s", s2), fmt("%,.0f items/s", base), fmt("%.2fx", s2 / base), s2 >= 500_000);
        row(t, "2b", "the same, the client parsing each event's JSON (Jackson)", "(measured)",
                fmt("%,.0f events/s", s2p), fmt("%,.0f items/s", base), fmt("%.2fx", s2p / base), true);
        row(t, "2c", "the same with `?fields=seq,value`, counting events", ">= 1,000,000 events/s",
                fmt("%,.0f events/s", s2f), fmt("%,.0f items/s", base), fmt("%.2fx", s2f / base), s2f >= 1_000_000);
        row(t, "3a", "efficiency, `inferenceMs: 10`, 500 items, concurrency 1 (ideal / actual)", ">= 0.98",
                fmt("%.4f", e1), fmt("%.4f", b1) + " (one thread, `Thread.sleep`)", fmt("%.3fx", e1 / b1), e1 >= 0.98);
        row(t, "3b", "the same at concurrency 8", ">= 0.98", fmt("%.4f", e8),
                fmt("%.4f", b8) + " (eight threads)", fmt("%.3fx", e8 / b8), e8 >= 0.98);
        StringBuilder batches = new StringBuilder();
        boolean allEfficient = true;
        for (int batch : EFFICIENCY_BATCHES) {
            double e = median(m, "s3c.efficiency.batch" + batch);
            batches.append(batches.length() == 0 ? "" : ", ").append(fmt("%.4f at %d", e, batch));
            allEfficient &= e >= 0.95;
        }
        row(t, "3c", "efficiency with batches, `inferenceMs: 10`, " + (smoke ? 200 : 2000) + " items, concurrency 1, "
                + "max batch size 1, 8, 32 (the time `batch-item-cost` 0.05 predicts / actual)", ">= 0.95 at each",
                batches.toString(), "-", "-", allEfficient);
        row(t, "4", String.format(Locale.ROOT, "fan-out: %,d SSE clients on one run of 2,000 items at 1 ms: "
                + "lag from result to client", fanOutClients), "all complete, p99 < 250 ms",
                (complete == 1 ? "all complete; " : "NOT all complete; ") + fmt("p50 %.1f ms, p99 %.1f ms", lag50, lag99),
                fmt("hand-off p99 %.0f us", h99), fmt("%.0fx", lag99 * 1000 / h99), complete == 1 && lag99 < 250);
        row(t, "5", "overhead per item, enqueue to result minus the 1 ms inference, at 50% load", "p99 < 1 ms",
                fmt("p50 %.0f us, p99 %.0f us", o50, o99), fmt("p50 %.0f us, p99 %.0f us", h50, h99),
                fmt("p99 %.2fx", o99 / h99), o99 < 1000);
        row(t, "6a", "JVM start to first 200 on `/q/health/ready` (management port); RSS after a 100,000-item run: `java -jar`",
                "< 1.5 s, < 200 MB", fmt("%.0f ms, %.0f MB", start, rss),
                fmt("bare JVM: %.0f ms, %.0f MB", bareStart, bareRss),
                fmt("%.1fx, %.1fx", start / bareStart, rss / bareRss), start < 1500 && rss < 200);
        row(t, "6b", "the same with the recommended `" + String.join(" ", RECOMMENDED) + "`", "< 1.5 s, < 200 MB",
                fmt("%.0f ms, %.0f MB", startR, rssR), fmt("bare JVM: %.0f ms, %.0f MB", bareStart, bareRss),
                fmt("%.1fx, %.1fx", startR / bareStart, rssR / bareRss), startR < 1500 && rssR < 200);
        row(t, "6c", "the same with the class-data archive packaging writes (`" + CDS + "`, from inside "
                + "`target/quarkus-app`)", "< 1.5 s, < 200 MB", fmt("%.0f ms, %.0f MB", startC, rssC),
                fmt("bare JVM: %.0f ms, %.0f MB", bareStart, bareRss),
                fmt("%.1fx, %.1fx", startC / bareStart, rssC / bareRss), startC < 1500 && rssC < 200);
        row(t, "7", String.format(Locale.ROOT, "heap after a run of %,d items kept whole (recommended options, after "
                + "a full GC), and per kept result", millionItems), "<= 100 MB above idle",
                fmt("%.1f MB, %.0f bytes a result", heap, perResult), fmt("bare JVM: %.0f MB RSS", bareRss), "-",
                heap <= 100);
        t.append("\nEvery measurement, in run order:\n\n");
        for (Map.Entry<String, List<Double>> e : m.entrySet()) {
            t.append("- `").append(e.getKey()).append("`: ").append(all(m, e.getKey(), "%.4g")).append('\n');
        }

        String begin = "<!-- bench:begin -->";
        String end = "<!-- bench:end -->";
        String doc = Files.exists(out) ? Files.readString(out) : "# Benchmarks\n\n" + begin + "\n" + end + "\n";
        int from = doc.indexOf(begin);
        int to = doc.indexOf(end);
        if (from < 0 || to < 0) {
            doc = doc + "\n" + begin + "\n" + end + "\n";
            from = doc.indexOf(begin);
            to = doc.indexOf(end);
        }
        Files.writeString(out, doc.substring(0, from + begin.length()) + "\n" + t + doc.substring(to));
        System.out.println("\n" + t);
        System.out.println("written to " + out);
    }

    static void row(StringBuilder t, String n, String scenario, String target, String ours, String base, String ratio,
            boolean met) {
        t.append("| ").append(n).append(" | ").append(scenario).append(" | ").append(target).append(" | ").append(ours)
                .append(" | ").append(base).append(" | ").append(ratio).append(" | ").append(met ? "yes" : "**no**")
                .append(" |\n");
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static String cpu() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
    }

    static String memory() throws IOException {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().map(l -> Math.round(Long.parseLong(l.replaceAll("[^0-9]", "")) / 1048576.0) + " GiB RAM")
                .orElse("unknown RAM");
    }
}
