package dev.mlpipe.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** A run's own items in the queue, on a clock the test moves by hand: every mean is exact. */
class OwnDepthTest {

    private final AtomicLong nowUs = new AtomicLong(1_700_000_000_000_000L);
    private final PipelineActivity activity = new PipelineActivity(10, 1, 1, nowUs::get);

    private void pass(long micros) {
        nowUs.addAndGet(micros);
    }

    @Test
    void aRunsOwnDepthWeighsEachLevelByHowLongItLastedAndKeepsItsMost() {
        long startUs = nowUs.get();
        OwnDepth own = activity.openOwn("a");
        pass(1_000); // none of its items yet
        activity.entered(3, 1, 3, "a", 3);
        pass(2_000);
        activity.left("a", 1);
        activity.depth(2);
        pass(1_000);

        OwnDepth.Reading now = activity.read(own).own();
        assertThat(now.level()).isEqualTo(2);
        assertThat(now.max()).isEqualTo(3);
        assertThat(now.meanSince(startUs)).isEqualTo((0 * 1_000 + 3 * 2_000 + 2 * 1_000) / 4_000.0);
    }

    @Test
    void eachRunCountsItsOwnItemsOnlyAndTogetherNoMoreThanTheWholeQueue() {
        PipelineActivity.Reading start = activity.read();
        OwnDepth a = activity.openOwn("a");
        OwnDepth b = activity.openOwn("b");
        activity.entered(4, 1, 4, "a", 4);
        activity.entered(6, 1, 6, "b", 2);
        activity.entered(7, 1, 7, "v2-request", 1); // not a run's: the whole depth only
        pass(5_000);
        activity.left("a", 4); // a batch of a's items, taken ahead of b's (a level before theirs, say)
        activity.depth(3);
        pass(5_000);

        PipelineActivity.Reading now = activity.read();
        OwnDepth.Reading ofA = activity.read(a).own();
        OwnDepth.Reading ofB = activity.read(b).own();
        assertThat(ofA.max()).isEqualTo(4);
        assertThat(ofB.max()).isEqualTo(2);
        assertThat(ofA.meanSince(start.atUs())).isEqualTo(4 * 5_000 / 10_000.0);
        assertThat(ofB.meanSince(start.atUs())).isEqualTo(2.0);
        assertThat(ofA.meanSince(start.atUs()) + ofB.meanSince(start.atUs()))
                .isLessThanOrEqualTo(now.meanDepthSince(start));
    }

    @Test
    void anEndedRunsOwnDepthIsWhatItWasAtItsEnd() {
        long startUs = nowUs.get();
        OwnDepth own = activity.openOwn("a");
        activity.entered(2, 1, 2, "a", 2);
        pass(1_000);
        OwnDepth.Reading atEnd = activity.closeOwn("a", own).own();
        activity.left("a", 2); // its items discarded after its end
        activity.entered(5, 1, 5, "a", 3);
        pass(1_000);

        assertThat(atEnd.meanSince(startUs)).isEqualTo(2.0);
        assertThat(activity.read(own).own()).as("left as it was at the end").extracting(OwnDepth.Reading::level,
                OwnDepth.Reading::max).containsExactly(2, 2);
    }
}
