package dev.mlpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import dev.mlpipe.model.Result;
import dev.mlpipe.model.ResultBatch;
import dev.mlpipe.queue.Expired;
import dev.mlpipe.queue.Failed;
import dev.mlpipe.queue.Item;

/**
 * A worker's results leave at once while the broker keeps up, and many to a message while it is behind; every batch's
 * items are acknowledged (or handed back) by the outcome of the one message that carried their results, never lost
 * and never told twice.
 */
class ResultsOutTest {

    /** What was published, in order, with the confirm each awaits. */
    private final List<ResultBatch> published = new ArrayList<>();
    private final List<Consumer<Boolean>> confirms = new ArrayList<>();
    private final ResultsOut out = new ResultsOut((batch, confirm) -> {
        published.add(batch);
        confirms.add(confirm);
    }, 2, 5);

    @Test
    void whileTheBrokerKeepsUpEachBatchLeavesAtOnceInAMessageOfItsOwn() {
        List<Boolean> told = new ArrayList<>();

        out.send(batch(1), told::add);
        confirms.get(0).accept(true);
        out.send(batch(2), told::add);
        confirms.get(1).accept(true);
        out.send(batch(3), told::add);

        assertThat(published).extracting(ResultsOutTest::seqs)
                .containsExactly(List.of(1L), List.of(2L), List.of(3L));
        assertThat(told).containsExactly(true, true);
    }

    @Test
    void batchesThatEndWhileTheBrokerIsBehindLeaveTogetherWithTheNextConfirm() {
        List<String> told = new ArrayList<>();
        out.send(batch(1), confirmed -> told.add("1:" + confirmed));
        out.send(batch(2), confirmed -> told.add("2:" + confirmed));
        out.send(batch(3, 4), confirmed -> told.add("3-4:" + confirmed));
        out.send(batch(5), confirmed -> told.add("5:" + confirmed));

        assertThat(published).as("two on their way: the rest waits").hasSize(2);

        confirms.get(1).accept(true);

        assertThat(published).extracting(ResultsOutTest::seqs)
                .containsExactly(List.of(1L), List.of(2L), List.of(3L, 4L, 5L));
        assertThat(told).containsExactly("2:true");

        confirms.get(2).accept(true);
        confirms.get(0).accept(true);

        assertThat(told).containsExactly("2:true", "3-4:true", "5:true", "1:true");
        assertThat(published).as("nothing was waiting").hasSize(3);
    }

    @Test
    void aRefusedMessageHandsBackTheItemsOfEveryBatchItCarriedAndOnlyThose() {
        List<String> told = new ArrayList<>();
        out.send(batch(1), confirmed -> told.add("1:" + confirmed));
        out.send(batch(2), confirmed -> told.add("2:" + confirmed));
        out.send(batch(3), confirmed -> told.add("3:" + confirmed));
        out.send(batch(4), confirmed -> told.add("4:" + confirmed));
        confirms.get(0).accept(true);

        confirms.get(2).accept(false); // the message of 3 and 4: the broker refused it, or its channel closed

        assertThat(told).containsExactly("1:true", "3:false", "4:false");
    }

    @Test
    void onceEveryMessageIsSettledResultsLeaveAtOnceAgainAndNothingIsPending() {
        List<Boolean> told = new ArrayList<>();
        out.send(batch(1), told::add);
        out.send(batch(2), told::add);
        out.send(batch(3), told::add);
        assertThat(out.pending()).as("two messages on their way, one batch gathered").isEqualTo(3);

        confirms.get(0).accept(false);
        confirms.get(1).accept(true);
        confirms.get(2).accept(true);
        assertThat(out.pending()).isZero();

        out.send(batch(4), told::add);
        assertThat(published).extracting(ResultsOutTest::seqs).last().isEqualTo(List.of(4L));
        assertThat(told).containsExactly(false, true, true);
    }

    @Test
    void aMessageThatCannotBeSentHandsBackItsItemsAndWhatComesAfterItIsSent() {
        List<String> told = new ArrayList<>();
        List<ResultBatch> sent = new ArrayList<>();
        List<Consumer<Boolean>> sentConfirms = new ArrayList<>();
        ResultsOut closing = new ResultsOut((batch, confirm) -> {
            if (batch.results().get(0).seq() == 2) {
                throw new IllegalStateException("the channel's emitter is closed");
            }
            sent.add(batch);
            sentConfirms.add(confirm);
        }, 1, 5);

        closing.send(batch(1), confirmed -> told.add("1:" + confirmed));
        closing.send(batch(2), confirmed -> told.add("2:" + confirmed)); // waits for the first's confirm
        sentConfirms.get(0).accept(true); // 2 leaves now, and cannot be sent

        assertThat(told).containsExactly("1:true", "2:false");
        assertThat(closing.pending()).isZero();

        closing.send(batch(3), confirmed -> told.add("3:" + confirmed));
        assertThat(sent).extracting(ResultsOutTest::seqs).containsExactly(List.of(1L), List.of(3L));
    }

    @Test
    void whatWaitsLeavesAtOnceWhenItFillsAMessage() {
        out.send(batch(1), confirmed -> { });
        out.send(batch(2), confirmed -> { });
        out.send(batch(3, 4, 5), confirmed -> { });

        assertThat(published).as("3 results wait: below 5").hasSize(2);

        out.send(batch(6, 7), confirmed -> { });

        assertThat(published).extracting(ResultsOutTest::seqs).last().isEqualTo(List.of(3L, 4L, 5L, 6L, 7L));
    }

    @Test
    void expiredAndFailedItemsTravelWithTheResultsInTheirOwnLists() {
        out.send(batch(1), confirmed -> { });
        out.send(batch(2), confirmed -> { });
        out.send(new ResultBatch(List.of(), List.of(new Expired(item(3), 10)), List.of()), confirmed -> { });
        out.send(new ResultBatch(List.of(), List.of(), List.of(new Failed(item(4), 11, "bad row"))), confirmed -> { });

        confirms.get(0).accept(true);

        ResultBatch both = published.get(2);
        assertThat(both.expired()).extracting(expired -> expired.item().seq()).containsExactly(3L);
        assertThat(both.failed()).extracting(failed -> failed.reason()).containsExactly("bad row");
    }

    private static ResultBatch batch(long... seqs) {
        List<Result> results = new ArrayList<>();
        for (long seq : seqs) {
            results.add(new Result("0123456789ab", seq, 5, "low", 0.5, 0, 1, 2, 3, 4, 5, "worker-1", seq, 1));
        }
        return new ResultBatch(results);
    }

    private static Item item(long seq) {
        return Item.loaded("0123456789ab", seq, 5, 0, 1);
    }

    private static List<Long> seqs(ResultBatch batch) {
        List<Long> seqs = new ArrayList<>();
        batch.results().forEach(result -> seqs.add(result.seq()));
        batch.expired().forEach(expired -> seqs.add(expired.item().seq()));
        batch.failed().forEach(failed -> seqs.add(failed.item().seq()));
        return seqs;
    }
}
