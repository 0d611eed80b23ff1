import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The seed design in plain Java threads: an ArrayBlockingQueue of capacity 10, one loader thread putting random ints
 * 1..100, model threads taking them. The yardstick every mlpipe figure is divided by, measured in the same run.
 *
 * <pre>
 *   java Baseline.java throughput ITEMS          items/s, no inference delay
 *   java Baseline.java delay ITEMS MS THREADS    ideal time / actual time with MS of sleep per item
 *   java Baseline.java handoff ITEMS PERIOD_US WORK_US   put-to-take latency (+ sleep overshoot) at a given load, us
 *   java Baseline.java idle                      prints "ready" and waits: a bare JVM to measure start and RSS
 * </pre>
 */
public class Baseline {

    private static final int CAPACITY = 10;
    private static final int SENTINEL = -1;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "throughput" -> System.out.println(throughput(Integer.parseInt(args[1])));
            case "delay" -> System.out.println(delay(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                    Integer.parseInt(args[3])));
            case "handoff" -> {
                long[] p = handoff(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                System.out.println(p[0] + " " + p[1]);
            }
            case "idle" -> {
                System.out.println("ready");
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** Items per second from the first put to the last take. */
    static double throughput(int items) throws InterruptedException {
        BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(CAPACITY);
        long start = System.nanoTime();
        Thread loader = new Thread(() -> {
            try {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < items; i++) {
                    queue.put(random.nextInt(1, 101));
                }
                queue.put(SENTINEL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        loader.start();
        long sum = 0;
        for (int v; (v = queue.take()) != SENTINEL;) {
            sum += v;
        }
        long end = System.nanoTime();
        loader.join();
        if (sum == 0) {
            throw new IllegalStateException("nothing moved");
        }
        return items / ((end - start) / 1e9);
    }

    /** Ideal time / actual time when each item takes {@code ms} of sleep on one of {@code threads} model threads. */
    static double delay(int items, int ms, int threads) throws InterruptedException {
        BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(CAPACITY);
        long start = System.nanoTime();
        Thread[] model = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            model[t] = new Thread(() -> {
                try {
                    while (queue.take() != SENTINEL) {
                        Thread.sleep(ms);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            model[t].start();
        }
        for (int i = 0; i < items; i++) {
            queue.put(ThreadLocalRandom.current().nextInt(1, 101));
        }
        for (int t = 0; t < threads; t++) {
            queue.put(SENTINEL);
        }
        for (Thread t : model) {
            t.join();
        }
        double actual = (System.nanoTime() - start) / 1e9;
        double ideal = (double) items * ms / 1000 / threads;
        return ideal / actual;
    }

    /**
     * The loader puts an item every {@code periodUs}; the model takes it and works {@code workUs} (parked). Returns
     * p50 and p99, in microseconds, of take-to-done minus the work: what the plain design adds per item.
     */
    static long[] handoff(int items, int periodUs, int workUs) throws InterruptedException {
        BlockingQueue<Long> queue = new ArrayBlockingQueue<>(CAPACITY);
        long[] overhead = new long[items];
        Thread model = new Thread(() -> {
            try {
                for (int i = 0; i < items; i++) {
                    long put = queue.take();
                    long until = System.nanoTime() + workUs * 1_000L;
                    LockSupport.parkNanos(workUs * 1_000L);
                    while (System.nanoTime() < until) {
                        LockSupport.parkNanos(until - System.nanoTime());
                    }
                    overhead[i] = (System.nanoTime() - put) / 1_000 - workUs;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        model.start();
        long next = System.nanoTime();
        for (int i = 0; i < items; i++) {
            queue.put(System.nanoTime());
            next += periodUs * 1_000L;
            while (System.nanoTime() < next) {
                LockSupport.parkNanos(next - System.nanoTime());
            }
        }
        model.join();
        Arrays.sort(overhead);
        return new long[] { overhead[items / 2], overhead[(int) (items * 0.99)] };
    }
}
