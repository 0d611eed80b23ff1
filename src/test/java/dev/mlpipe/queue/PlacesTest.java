package dev.mlpipe.queue;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.mlpipe.observe.PipelineActivity;

import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;

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
        UniAssertSubscriber<Integer> first = places.take().subscribe().withSubscriber(UniAssertSubscriber.create());
        UniAssertSubscriber<Integer> second = places.take().subscribe().withSubscriber(UniAssertSubscriber.create());
        first.assertNotTerminated();
        second.assertNotTerminated();

        places.giveBack();
        first.assertCompleted().assertItem(1);
        second.assertNotTerminated();
        assertThat(places.tryTake()).as("nobody overtakes a waiting loader").isEqualTo(-1);

        places.giveBack();
        second.assertCompleted().assertItem(1);
    }

    @Test
    void aLoaderCancelledWhileWaitingDoesNotKeepAPlace() {
        Places places = new Places(1, activity);
        places.tryTake();
        UniAssertSubscriber<Integer> gone = places.take().subscribe().withSubscriber(UniAssertSubscriber.create());
        UniAssertSubscriber<Integer> next = places.take().subscribe().withSubscriber(UniAssertSubscriber.create());

        gone.cancel();
        places.giveBack();

        next.assertCompleted().assertItem(1);
        places.giveBack();
        assertThat(places.used()).isZero();
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
