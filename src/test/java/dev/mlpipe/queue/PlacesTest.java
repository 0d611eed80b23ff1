package dev.mlpipe.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.mlpipe.observe.PipelineActivity;
import io.smallrye.mutiny.subscription.Cancellable;

class PlacesTest {

    private final PipelineActivity activity = new PipelineActivity(3, 1);

    @Test
    void placesRunOutAtTheCapacity() {
        Places places = new Places(3, activity);

        assertThat(places.tryTake()).isEqualTo(1);
        assertThat(places.tryTake()).isEqualTo(2);
        assertThat(places.tryTake()).isEqualTo(3);
        assertThat(places.tryTake()).isEqualTo(-1);
        assertThat(places.used()).isEqualTo(3);
        assertThat(activity.depth()).isEqualTo(3);

        places.giveBack();
        assertThat(places.used()).isEqualTo(2);
        assertThat(activity.depth()).isEqualTo(2);
        assertThat(places.tryTake()).isEqualTo(3);
    }

    @Test
    void waitingLoadersGetPlacesInTheOrderTheyAsked() {
        Places places = new Places(1, activity);
        places.tryTake();
        List<String> granted = new ArrayList<>();
        places.take(depth -> granted.add("first at depth " + depth));
        places.take(depth -> granted.add("second at depth " + depth));
        assertThat(granted).isEmpty();

        places.giveBack();
        assertThat(granted).containsExactly("first at depth 1");
        assertThat(places.tryTake()).as("nobody overtakes a waiting loader").isEqualTo(-1);

        places.giveBack();
        assertThat(granted).containsExactly("first at depth 1", "second at depth 1");
    }

    @Test
    void aLoaderCancelledWhileWaitingDoesNotKeepAPlace() {
        Places places = new Places(1, activity);
        places.tryTake();
        AtomicInteger granted = new AtomicInteger();
        Cancellable gone = places.take(depth -> granted.incrementAndGet());
        places.take(depth -> granted.incrementAndGet());

        gone.cancel();
        places.giveBack();

        assertThat(granted).as("only the loader still waiting got the place").hasValue(1);
        places.giveBack();
        assertThat(places.used()).isZero();
    }

    /**
     * A loader cancelled just as the model frees a place: either it gets the place (and its item enters the queue) or
     * the place stays free; it is never lost, or the queue would shrink for good and runs would stall.
     */
    @Test
    void aPlaceFreedAsItsLoaderIsCancelledIsNeverLost() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20_000; round++) {
                Places places = new Places(1, activity);
                places.tryTake();
                AtomicInteger granted = new AtomicInteger();
                Cancellable waiting = places.take(depth -> granted.incrementAndGet());
                CountDownLatch go = new CountDownLatch(1);
                Future<?> model = threads.submit(() -> {
                    go.await();
                    places.giveBack();
                    return null;
                });
                Future<?> cancel = threads.submit(() -> {
                    go.await();
                    waiting.cancel();
                    return null;
                });
                go.countDown();
                model.get();
                cancel.get();

                assertThat(places.used()).as("round %d: places in use match items that entered", round)
                        .isEqualTo(granted.get());
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void anItemThatTookNoPlaceHereGivesNoneBack() {
        Places places = new Places(2, activity);
        places.giveBack();

        assertThat(places.used()).isZero();
        assertThat(places.tryTake()).isEqualTo(1);
        assertThat(places.tryTake()).isEqualTo(2);
        assertThat(places.tryTake()).as("still only two places").isEqualTo(-1);
    }
}
