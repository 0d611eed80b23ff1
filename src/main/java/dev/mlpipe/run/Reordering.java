package dev.mlpipe.run;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import dev.mlpipe.queue.Returned;

/**
 * The order a run's results leave in. Items come back from the model in any order when it runs several at once, or
 * through a broker (which may also deliver one twice), and an item may expire in the queue while an earlier one is in
 * inference; results and expiries leave in load order, each once. Expected seqs grow with
 * every item loaded; a result that overtook an earlier one waits until that one is back.
 */
final class Reordering {

    /** Seqs loaded and not yet back, ascending, in a ring. */
    private long[] expected = new long[16];
    private int head;
    private int size;
    /** Results back before an earlier seq. */
    private final Map<Long, Returned> early = new HashMap<>();

    /** The loader loaded this seq, greater than all before it. */
    void expect(long seq) {
        if (size == expected.length) {
            long[] larger = new long[expected.length * 2];
            for (int i = 0; i < size; i++) {
                larger[i] = at(i);
            }
            expected = larger;
            head = 0;
        }
        expected[(head + size++) & (expected.length - 1)] = seq;
    }

    /**
     * A seq loaded will not come back (it was dropped): the last one loaded, or, when a loader drew a chunk, one of its
     * last few, the later ones still awaited.
     */
    void forget(long seq) {
        int i = indexOf(seq);
        if (i < 0) {
            return;
        }
        for (; i < size - 1; i++) {
            expected[(head + i) & (expected.length - 1)] = at(i + 1);
        }
        size--;
    }

    /**
     * A result or an expiry came back: it, and the early ones it was holding up, go to {@code release} in load order.
     * One not expected (a duplicate, or one for a seq never loaded) is ignored.
     *
     * @return false if it was ignored
     */
    boolean arrived(Returned result, Consumer<Returned> release) {
        if (size == 0) {
            return false;
        }
        long seq = result.seq();
        if (at(0) != seq) {
            return indexOf(seq) > 0 && early.putIfAbsent(seq, result) == null;
        }
        removeFirst();
        release.accept(result);
        while (size > 0 && !early.isEmpty()) {
            Returned next = early.remove(at(0));
            if (next == null) {
                return true;
            }
            removeFirst();
            release.accept(next);
        }
        return true;
    }

    /**
     * The fast way in for a result that comes in load order: if {@code seq} is the one awaited next and none waits
     * behind it, it is taken as released and the caller releases it.
     *
     * @return false, nothing changed, if it must go through {@link #arrived} instead
     */
    boolean next(long seq) {
        if (size == 0 || at(0) != seq || !early.isEmpty()) {
            return false;
        }
        removeFirst();
        return true;
    }

    /** Results still to come. */
    int waiting() {
        return size;
    }

    void clear() {
        size = 0;
        early.clear();
    }

    private long at(int i) {
        return expected[(head + i) & (expected.length - 1)];
    }

    private void removeFirst() {
        head = (head + 1) & (expected.length - 1);
        size--;
    }

    /** Binary search: expected seqs ascend. @return the index of seq, or -1 */
    private int indexOf(long seq) {
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long value = at(mid);
            if (value < seq) {
                low = mid + 1;
            } else if (value > seq) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }
}
