package dev.mlpipe.broker;

/**
 * How many items of a model a worker may hold unacknowledged (the prefetch of the channel that consumes that model's
 * items queue): {@code mlpipe.broker.prefetch-batches} x the model's {@code concurrency} x its {@code max-batch-size},
 * so that each model slot fills whole batches from what it holds while the results of the last ones are on their way
 * and the next items come: a worker that held only what its model runs paid a round trip to the broker per batch. At
 * least {@code mlpipe.broker.min-prefetch}: with batches of one, four items ahead left a fast model waiting for its
 * results' confirms. Each model's own, on a channel of its own, so that a slow model's items held by a worker never
 * take the places of a fast one's.
 */
final class WorkerPrefetch {

    private WorkerPrefetch() {
    }

    /** @return the prefetch for these settings, within AMQP's prefetch count (an unsigned short) */
    static int of(int concurrency, int maxBatchSize, int batches, int minPrefetch) {
        long product = (long) concurrency * maxBatchSize * batches;
        return (int) Math.min(65_535, Math.max(Math.max(1, minPrefetch), product));
    }
}
