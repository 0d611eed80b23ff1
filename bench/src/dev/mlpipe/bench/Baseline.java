package dev.mlpipe.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The seed design in plain Java threads, the yardstick mlpipe's figures are divided by: random ints 1..100 through an
 * {@link ArrayBlockingQueue}, the toy model on each, the simulated inference waited out as the service waits it
 * ({@link SpinWait}). Two shapes, because mlpipe has both: {@code one-thread}, where whoever loads an item also runs
 * it (mlpipe's model intake runs on the loader's thread at batches of one, so no item changes threads), and
 * {@code two-threads}, where a loader thread hands each item to model threads through the queue. Driven one command
 * at a time by the harness ({@link ChildJvm}):
 *
 * <pre>
 *   throughput ITEMS CAPACITY SHAPE          items/s, no inference wait, from starting the run to its last item
 *   efficiency ITEMS MS SLOTS SHAPE          ideal time / actual time, MS per item on SLOTS model threads
 *   overhead ITEMS PERIOD_US WORK_US SHAPE   enqueue to done minus the work, p50 and p99 in us, an item every PERIOD_US
 * </pre>
 * {@code java dev.mlpipe.bench.Baseline idle} prints a line and waits: a bare JVM, to time a start against.
 */
final class Baseline {

    enum Shape {
        ONE_THREAD, TWO_THREADS;

        static Shape of(String word) {
            return valueOf(word.toUpperCase().replace('-', '_'));
        }

        String word() {
            return name().toLowerCase().replace('_', '-');
        }

        /** This shape's one of two things, the one-thread shape's first. */
        <T> T pick(T oneThread, T twoThreads) {
            return this == ONE_THREAD ? oneThread : twoThreads;
        }
    }

    private Baseline() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("idle")) {
            System.out.println("ready");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
        ChildJvm.serve(words -> {
            try {
                return switch (words[0]) {
                    case "throughput" -> new double[] { throughput(Integer.parseInt(words[1]),
                            Integer.parseInt(words[2]), Shape.of(words[3])) };
                    case "efficiency" -> new double[] { efficiency(Integer.parseInt(words[1]),
                            Integer.parseInt(words[2]), Integer.parseInt(words[3]), Shape.of(words[4])) };
                    case "overhead" -> overhead(Integer.parseInt(words[1]), Integer.parseInt(words[2]),
                            Integer.parseInt(words[3]), Shape.of(words[4]));
                    default -> throw new IllegalArgumentException(words[0]);
                };
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Items per second from starting the run (its threads included) to the last item's prediction. */
    static double throughput(int items, int capacity, Shape shape) throws InterruptedException {
        BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(capacity);
        SplittableRandom random = new SplittableRandom();
        long start = System.nanoTime();
        double scores = 0;
        if (shape == Shape.ONE_THREAD) {
            int left = items;
            while (left > 0) {
                for (int room = queue.remainingCapacity(); room > 0 && left > 0; room--, left--) {
                    queue.offer(random.nextInt(1, 101)); // the loader enters what fits,
                }
                for (Integer v; (v = queue.poll()) != null;) { // and the model takes it, an item at a time
                    scores += Toy.predict(v).score();
                }
            }
        } else {
            Thread loader = new Thread(() -> {
                try {
                    for (int i = 0; i < items; i++) {
                        queue.put(random.nextInt(1, 101));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "loader");
            loader.start();
            for (int i = 0; i < items; i++) {
                scores += Toy.predict(queue.take()).score();
            }
            loader.join();
        }
        double rate = items / ((System.nanoTime() - start) / 1e9);
        if (scores <= 0) {
            throw new IllegalStateException("nothing was predicted");
        }
        return rate;
    }

    /**
     * Ideal time (items x ms / slots) / actual time (the first item loaded to the last finished, as mlpipe's figure
     * is), with {@code slots} model threads each waiting {@code ms} per item.
     */
    static double efficiency(int items, int ms, int slots, Shape shape) throws InterruptedException {
        SpinWait wait = new SpinWait();
        long workNanos = ms * 1_000_000L;
        AtomicLong firstLoaded = new AtomicLong(Long.MAX_VALUE);
        AtomicLong lastFinished = new AtomicLong();
        Thread[] model = new Thread[slots];
        if (shape == Shape.ONE_THREAD) { // each slot loads its own items: no hand-off
            AtomicInteger next = new AtomicInteger();
            SplittableRandom random = new SplittableRandom();
            for (int t = 0; t < slots; t++) {
                SplittableRandom own = random.split();
                model[t] = new Thread(() -> {
                    while (next.getAndIncrement() < items) {
                        firstLoaded.accumulateAndGet(System.nanoTime(), Math::min);
                        int value = own.nextInt(1, 101);
                        wait.until(System.nanoTime() + workNanos);
                        Toy.predict(value);
                        lastFinished.accumulateAndGet(System.nanoTime(), Math::max);
                    }
                }, "slot-" + t);
                model[t].start();
            }
        } else { // a loader hands each item to the slots through a queue of 10
            BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(10);
            for (int t = 0; t < slots; t++) {
                model[t] = new Thread(() -> {
                    try {
                        for (int value; (value = queue.take()) > 0;) {
                            wait.until(System.nanoTime() + workNanos);
                            Toy.predict(value);
                            lastFinished.accumulateAndGet(System.nanoTime(), Math::max);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "slot-" + t);
                model[t].start();
            }
            SplittableRandom random = new SplittableRandom();
            firstLoaded.set(System.nanoTime());
            for (int i = 0; i < items; i++) {
                queue.put(random.nextInt(1, 101));
            }
            for (int t = 0; t < slots; t++) {
                queue.put(-1); // each slot's end
            }
        }
        for (Thread t : model) {
            t.join();
        }
        double ideal = (double) items * workNanos / slots;
        return ideal / (lastFinished.get() - firstLoaded.get());
    }

    /**
     * An item every {@code periodUs}, each taking {@code workUs}: p50 and p99, in microseconds, of enqueue to done
     * minus the work, what the design adds per item (mlpipe's {@code finishedUs - enqueuedUs - inference}).
     */
    static double[] overhead(int items, int periodUs, int workUs, Shape shape) throws InterruptedException {
        SpinWait wait = new SpinWait();
        long workNanos = workUs * 1_000L;
        long[] overhead = new long[items];
        BlockingQueue<Long> queue = new ArrayBlockingQueue<>(10);
        Thread model = null;
        if (shape == Shape.TWO_THREADS) {
            model = new Thread(() -> {
                try {
                    for (int i = 0; i < items; i++) {
                        long enqueued = queue.take();
                        wait.until(System.nanoTime() + workNanos);
                        overhead[i] = System.nanoTime() - enqueued - workNanos;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "model");
            model.start();
        }
        long next = System.nanoTime();
        for (int i = 0; i < items; i++) {
            queue.put(System.nanoTime());
            if (shape == Shape.ONE_THREAD) {
                long enqueued = queue.poll();
                wait.until(System.nanoTime() + workNanos);
                overhead[i] = System.nanoTime() - enqueued - workNanos;
            }
            next += periodUs * 1_000L;
            for (long now; (now = System.nanoTime()) < next;) {
                LockSupport.parkNanos(next - now);
            }
        }
        if (model != null) {
            model.join();
        }
        Arrays.sort(overhead);
        return new double[] { overhead[items / 2] / 1e3, overhead[(int) (items * 0.99)] / 1e3 };
    }
}
