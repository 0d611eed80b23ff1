package dev.mlpipe.link;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.observe.Clock;
import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.ItemQueue;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.smallrye.mutiny.subscription.Cancellable;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Typed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The queue with a broker: RabbitMQ's items queue, whose length the broker bounds to the capacity (a full queue refuses a
 * publish, {@link BrokerTopology}). Each item is published on {@code items-out} and settles once the broker has
 * confirmed or refused it, or has said nothing for {@link Confirms#TIMEOUT}. A loader that waits for room
 * ({@code block}) publishes a refused item again after a pause that grows from 5 ms to a second, which counts as its
 * wait for room.
 * <p>
 * Nothing is handed to the client while the broker is unreachable: the client keeps what it is given and publishes it
 * once the broker is back, so each retry during an outage would be another copy sent after it, even for a run that
 * ended meanwhile. A waiting item is tried again once the broker is back; an item that may not wait is refused.
 */
@ApplicationScoped // made at its first item: the runs exist before SmallRye has wired its emitter
@Typed(BrokerQueue.class) // an ItemQueue only through Links, which chooses one per mode
public class BrokerQueue implements ItemQueue {

    private final Emitter<Item> link;
    private final PipelineActivity activity;
    private final int capacity;
    private final BooleanSupplier reachable;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("mlpipe-broker-retry", true));

    /**
     * @param link unbounded: each loader has at most one item on its way, and the runs that may be active at once are
     *        bounded ({@code mlpipe.runs.max-active})
     */
    @Inject
    BrokerQueue(@Channel("items-out") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<Item> link,
            PipelineActivity activity, MlpipeConfig config, BrokerTopology topology) {
        this(link, activity, config.queue().capacity(), topology::reachable);
    }

    /** @param reachable whether the broker can be published to now */
    BrokerQueue(Emitter<Item> link, PipelineActivity activity, int capacity, BooleanSupplier reachable) {
        this.link = link;
        this.activity = activity;
        this.capacity = capacity;
        this.reachable = reachable;
    }

    @PreDestroy
    void stop() {
        retries.shutdownNow();
    }

    @Override
    public Cancellable enter(Item item, boolean wait, Consumer<Item> settled) {
        Publishing publishing = new Publishing(item, wait, settled);
        publishing.attempt(0);
        return publishing;
    }

    @Override
    public String refusal(Item item) {
        return "the broker refused item " + item.seq() + " (its queue was full, capacity " + capacity
                + ", or the broker was unreachable)";
    }

    /** The broker's queue cannot be searched: workers process a cancelled run's items, and the api drops the results. */
    @Override
    public int discard(String runId) {
        return 0;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    /** The depth the broker reported at the last look ({@link BrokerWatch}). */
    @Override
    public int depth() {
        return activity.depth();
    }

    /** One item on its way into the broker's queue, attempt after attempt. */
    private final class Publishing implements Cancellable {
        private final Item item;
        private final boolean wait;
        private final Consumer<Item> settled;
        private volatile boolean cancelled;

        Publishing(Item item, boolean wait, Consumer<Item> settled) {
            this.item = item;
            this.wait = wait;
            this.settled = settled;
        }

        void attempt(int attempt) {
            if (cancelled) {
                return;
            }
            if (!reachable.getAsBoolean()) {
                if (wait) {
                    retry(attempt);
                } else {
                    settled.accept(null);
                }
                return;
            }
            Item entered = item.enqueued(Clock.nowUs(), activity.depth() + 1);
            link.send(Confirms.awaited(entered, Confirms.TIMEOUT, ok -> {
                if (ok) {
                    settled.accept(entered);
                } else if (!wait) {
                    settled.accept(null);
                } else {
                    retry(attempt);
                }
            }));
        }

        private void retry(int attempt) {
            if (!cancelled) {
                long pauseMs = Math.min(1_000, 5L << Math.min(attempt, 8));
                retries.schedule(() -> attempt(attempt + 1), pauseMs, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }
}
