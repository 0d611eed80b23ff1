package dev.mlpipe.stream;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The newest result events of one run as bytes, written once and copied by each of its clients that asks for every
 * field: a thousand clients of one run would otherwise each write the same event, much of what fan-out costs the
 * event loops (BENCHMARKS.md, scenario 4). Used only while more than one client shares it; a slot holds an event with
 * its seq, so a reader never takes another's bytes.
 */
final class SharedResults {

    private static final int SLOTS = 1024;

    private record Encoded(long seq, byte[] bytes) {
    }

    private final AtomicReferenceArray<Encoded> slots = new AtomicReferenceArray<>(SLOTS);
    private final AtomicInteger clients = new AtomicInteger();

    /** @return whether more than one client shares it, so that keeping bytes pays */
    boolean shared() {
        return clients.get() > 1;
    }

    /** The event's bytes, or null if no client has written them lately. */
    byte[] get(long seq) {
        Encoded encoded = slots.get((int) (seq & (SLOTS - 1)));
        return encoded != null && encoded.seq() == seq ? encoded.bytes() : null;
    }

    void put(long seq, byte[] bytes) {
        slots.set((int) (seq & (SLOTS - 1)), new Encoded(seq, bytes));
    }

    void join() {
        clients.incrementAndGet();
    }

    int leave() {
        return clients.decrementAndGet();
    }
}
