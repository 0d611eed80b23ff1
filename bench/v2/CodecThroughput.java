import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import dev.mlpipe.v2.EncodedBody;
import dev.mlpipe.v2.InferRequest;
import dev.mlpipe.v2.InferResponse;
import dev.mlpipe.v2.Tensor;
import dev.mlpipe.v2.V2Codec;

/**
 * What the v2 codec costs a one-row request, without HTTP: a server's work on each request (read the request body,
 * write the response body), in a plain loop on 1 thread and on as many as the machine has, each a warm-up then five
 * rounds, the median printed: requests/s by the wall clock, and the CPU time each took (the worker threads' own CPU
 * time, which a machine shared with other work does not inflate as it does the wall clock). Run from the repository's root after {@code ./mvnw compile}:
 *
 * <pre>
 * CP=target/classes:$(./mvnw -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout \
 *     -DincludeArtifactIds=jackson-core,jackson-databind,jackson-annotations)
 * java -cp "$CP" bench/v2/CodecThroughput.java [seconds per round, 2]
 * </pre>
 */
public class CodecThroughput {

    /** Row 0 of datasets/digits.csv, as a client sends pixels: JSON numbers. */
    static final float[] ROW = { 0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0,
            0, 8, 8, 0, 0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13, 10, 0, 0, 0 };
    static final float[] PROBABILITIES = { 0.999995351f, 6.0059846e-11f, 5.49702284e-09f, 1.87433913e-09f, 9.07589651e-07f,
            9.77000809e-07f, 2.14947164e-07f, 1.09278744e-06f, 2.73001774e-07f, 1.1430817e-06f };

    interface Work {
        int once();
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        V2Codec codec = new V2Codec();
        StringBuilder pixels = new StringBuilder();
        for (float pixel : ROW) {
            pixels.append(pixels.length() == 0 ? "" : ",").append((int) pixel);
        }
        byte[] digitsJson = ("{\"inputs\":[{\"name\":\"input\",\"shape\":[1,64],\"datatype\":\"FP32\",\"data\":[" + pixels
                + "]}]}").getBytes(StandardCharsets.UTF_8);
        EncodedBody digitsBinary = codec.writeRequest(new InferRequest(null, null,
                List.of(Tensor.fp32("input", new long[] { 1, 64 }, ROW)),
                List.of(InferRequest.RequestedOutput.binary("probabilities"))), name -> true);
        String digitsHeader = String.valueOf(digitsBinary.headerLength());
        byte[] simulatedJson = "{\"inputs\":[{\"name\":\"value\",\"shape\":[1,1],\"datatype\":\"INT64\",\"data\":[42]}]}"
                .getBytes(StandardCharsets.UTF_8);

        java.util.Map<String, Work> works = new java.util.LinkedHashMap<>();
        works.put("digits JSON in, JSON out", () -> {
            InferRequest request = codec.readRequest(digitsJson, null);
            InferResponse response = new InferResponse("digits", "1", request.id(), null,
                    List.of(Tensor.fp32("probabilities", new long[] { 1, 10 }, PROBABILITIES)));
            return codec.writeResponse(response, request::wantsBinary).bytes().length;
        });
        works.put("digits binary in, binary out", () -> {
            InferRequest request = codec.readRequest(digitsBinary.bytes(), digitsHeader);
            InferResponse response = new InferResponse("digits", "1", request.id(), null,
                    List.of(Tensor.fp32("probabilities", new long[] { 1, 10 }, PROBABILITIES)));
            return codec.writeResponse(response, request::wantsBinary).bytes().length;
        });
        works.put("simulated JSON in, JSON out", () -> {
            InferRequest request = codec.readRequest(simulatedJson, null);
            InferResponse response = new InferResponse("simulated", "1", request.id(), null, List.of(
                    Tensor.strings("prediction", new long[] { 1, 1 }, "42"), Tensor.fp32("score", new long[] { 1, 1 }, 0.42f)));
            return codec.writeResponse(response, request::wantsBinary).bytes().length;
        });
        for (Work work : works.values()) { // every path compiled before any is measured
            round(1, seconds * 2, work);
        }
        List<String[]> rows = new ArrayList<>();
        int cores = Runtime.getRuntime().availableProcessors();
        for (int threads : new int[] { 1, cores }) {
            for (var work : works.entrySet()) {
                rows.add(measure(work.getKey(), threads, seconds, work.getValue()));
            }
        }
        System.out.printf("%-30s %7s %11s %12s %16s %12s%n", "one-row request", "threads", "requests/s", "CPU us each",
                "per CPU-second", "bytes alloc.");
        for (String[] row : rows) {
            System.out.printf("%-30s %7s %11s %12s %16s %12s%n", (Object[]) row);
        }
        System.out.printf("(request bodies: digits JSON %d bytes, binary %d, simulated JSON %d; %d cores; %s)%n",
                digitsJson.length, digitsBinary.bytes().length, simulatedJson.length, cores,
                Arrays.toString(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() >= 0
                        ? new double[] { ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage() } : new double[0])
                        .replace("[", "load average ").replace("]", ""));
    }

    static String[] measure(String name, int threads, double seconds, Work work) throws InterruptedException {
        round(threads, seconds * 1.5, work); // warm-up
        double[] rates = new double[5];
        double[] cpuMicros = new double[5];
        long allocated = 0;
        for (int i = 0; i < rates.length; i++) {
            long[] counted = round(threads, seconds, work);
            rates[i] = counted[0] / seconds;
            cpuMicros[i] = counted[2] / 1e3 / Math.max(1, counted[0]);
            allocated = counted[1] / Math.max(1, counted[0]);
        }
        Arrays.sort(rates);
        Arrays.sort(cpuMicros);
        return new String[] { name, String.valueOf(threads), String.format("%,.0f", rates[2]),
                String.format("%.1f", cpuMicros[2]), String.format("%,.0f", 1e6 / cpuMicros[2]), String.format("%,d", allocated) };
    }

    /** @return requests done, the bytes allocated and the CPU nanoseconds spent by the threads doing them */
    static long[] round(int threads, double seconds, Work work) throws InterruptedException {
        LongAdder done = new LongAdder();
        LongAdder bytes = new LongAdder();
        LongAdder cpu = new LongAdder();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                long before = mx.getCurrentThreadAllocatedBytes();
                long cpuBefore = mx.getCurrentThreadCpuTime();
                long count = 0;
                int sink = 0;
                while (System.nanoTime() < end) {
                    for (int i = 0; i < 100; i++) {
                        sink += work.once();
                    }
                    count += 100;
                }
                cpu.add(mx.getCurrentThreadCpuTime() - cpuBefore);
                done.add(count);
                bytes.add(mx.getCurrentThreadAllocatedBytes() - before + (sink == 42 ? 1 : 0));
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return new long[] { done.sum(), bytes.sum(), cpu.sum() };
    }
}
