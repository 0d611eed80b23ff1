package dev.mlpipe.model;

import java.util.List;

import dev.mlpipe.queue.Failed;

/**
 * What holds the items the model returns, by their {@code runId}: the runs, and the inference requests of the v2
 * server. {@link ResultRoutes} offers each returned item to each owner until one takes it.
 */
public interface ResultOwner {

    /**
     * Takes {@code results[from, to)}, all of {@code id}, if it holds that id; the list is the caller's again once this
     * returns.
     *
     * @return false if {@code id} is not one of its own
     */
    boolean accept(String id, List<Result> results, int from, int to);

    /** As {@link #accept(String, List, int, int)}, a tensor batch's rows {@code [from, to)} as a block. */
    default boolean accept(String id, ResultBlock block, int from, int to) {
        return accept(id, (List<Result>) block, from, to);
    }

    /** Whether {@code id} is one of its own that waits for no result any more (a run that ended). */
    default boolean ended(String id) {
        return false;
    }

    /** Takes an item that gave no result, if it holds its id. @return false if not its own */
    boolean failed(Failed item);
}
