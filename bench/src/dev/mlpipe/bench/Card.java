package dev.mlpipe.bench;

import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * The shape mlpipe was specified with, in plain Mutiny and nothing of mlpipe: a loader emits random ints 1..100 into a
 * bounded overflow buffer of 10 (the in-memory channel), the items hop to another thread (the channel's hand-off to
 * its {@code @Incoming} processor), the processor runs the toy model, and the stream completes after the last item.
 * The loader emits only while the buffer has room and waits otherwise, as a lossless loader must with SmallRye's
 * {@code @OnOverflow(BUFFER, 10)} emitter (whose {@code hasRequests()} says the same): the buffer bounds the channel,
 * and overflowing it would fail the stream. Driven by the harness ({@link ChildJvm}): {@code card ITEMS} answers items
 * per second from subscribing to the completion.
 */
final class Card {

    static final int BUFFER = 10;

    private Card() {
    }

    public static void main(String[] args) throws Exception {
        ChildJvm.serve(words -> {
            if (!words[0].equals("card")) {
                throw new IllegalArgumentException(words[0]);
            }
            try {
                return new double[] { run(Integer.parseInt(words[1])) };
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static double run(int items) throws InterruptedException {
        ExecutorService processor = Executors.newSingleThreadExecutor(r -> new Thread(r, "incoming"));
        AtomicInteger room = new AtomicInteger(BUFFER); // places free in the overflow buffer
        AtomicReference<Thread> waiting = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        long[] processed = new long[1];
        long start = System.nanoTime();
        Multi.createFrom().<Integer> emitter(emitter -> new Thread(() -> load(emitter, items, room, waiting), "loader")
                .start())
                .onOverflow().buffer(BUFFER)
                .onItem().invoke(() -> { // an item left the buffer: a place is free
                    room.incrementAndGet();
                    LockSupport.unpark(waiting.get());
                })
                .emitOn(processor)
                .map(Toy::predict)
                .subscribe().with(prediction -> processed[0]++, failure -> {
                    failed.set(failure);
                    done.countDown();
                }, done::countDown);
        done.await();
        double rate = items / ((System.nanoTime() - start) / 1e9);
        processor.shutdown();
        processor.awaitTermination(10, TimeUnit.SECONDS);
        if (failed.get() != null || processed[0] != items) {
            throw new IllegalStateException(processed[0] + " of " + items + " processed", failed.get());
        }
        return rate;
    }

    private static void load(MultiEmitter<? super Integer> emitter, int items, AtomicInteger room,
            AtomicReference<Thread> waiting) {
        SplittableRandom random = new SplittableRandom();
        for (int i = 0; i < items; i++) {
            while (room.get() == 0) {
                waiting.set(Thread.currentThread());
                if (room.get() == 0) {
                    LockSupport.park();
                }
                waiting.set(null);
            }
            room.decrementAndGet();
            emitter.emit(random.nextInt(1, 101));
        }
        emitter.complete();
    }
}
