package dev.mlpipe.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import dev.mlpipe.model.Result;

class ReorderingTest {

    private final Reordering order = new Reordering();
    private final List<Long> released = new ArrayList<>();

    private static Result result(long seq) {
        return new Result("0000000000aa", seq, 1, "low", 0.1, 1, 1, 1, 1, 1, 1, "w", 1, 1);
    }

    /** @return how many of them were ignored */
    private int arrive(long... seqs) {
        int ignored = 0;
        for (long seq : seqs) {
            ignored += order.arrived(result(seq), r -> released.add(r.seq())) ? 0 : 1;
        }
        return ignored;
    }

    @Test
    void resultsLeaveInLoadOrderWhateverOrderTheyCameBackIn() {
        for (long seq = 1; seq <= 5; seq++) {
            order.expect(seq);
        }
        arrive(3, 2);
        assertThat(released).as("held until 1 is back").isEmpty();
        arrive(1);
        assertThat(released).containsExactly(1L, 2L, 3L);
        arrive(5, 4);
        assertThat(released).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(order.waiting()).isZero();
    }

    @Test
    void aResultDeliveredTwiceOrNeverExpectedLeavesNothing() {
        order.expect(1);
        order.expect(2);
        assertThat(arrive(2, 2, 9)).as("the second 2 and the 9, told apart to be counted").isEqualTo(2);
        assertThat(arrive(1, 1)).isEqualTo(1);

        assertThat(released).containsExactly(1L, 2L);
        assertThat(arrive(2)).as("a copy of one already released").isEqualTo(1);
    }

    @Test
    void aDroppedItemIsNoLongerAwaited() {
        order.expect(1);
        order.expect(2);
        order.forget(2);
        arrive(1);

        assertThat(released).containsExactly(1L);
        assertThat(order.waiting()).isZero();
    }

    @Test
    void anItemDroppedFromAChunkIsNoLongerAwaitedWhileTheRestOfTheChunkIs() {
        for (long seq = 1; seq <= 5; seq++) {
            order.expect(seq);
        }
        order.forget(3); // the chunk's 1 and 2 entered, 3 found no room and was dropped, 4 and 5 entered after it
        order.forget(9); // never loaded: nothing

        arrive(2, 1, 5, 4);
        assertThat(released).containsExactly(1L, 2L, 4L, 5L);
        assertThat(order.waiting()).isZero();
    }

    @Test
    void anyArrivalOrderOfManyLeavesEveryResultOnceInOrder() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            Reordering fresh = new Reordering();
            List<Long> out = new ArrayList<>();
            int n = 1 + random.nextInt(100);
            List<Long> seqs = new ArrayList<>(LongStream.rangeClosed(1, n).boxed().toList());
            seqs.forEach(fresh::expect);
            Collections.shuffle(seqs, random);
            seqs.forEach(seq -> fresh.arrived(result(seq), r -> out.add(r.seq())));

            assertThat(out).as("round %d", round).containsExactlyElementsOf(LongStream.rangeClosed(1, n).boxed().toList());
        }
    }
}
