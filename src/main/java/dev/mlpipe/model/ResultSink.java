package dev.mlpipe.model;

import java.util.List;

import dev.mlpipe.queue.Failed;

/** Where the model's results go in one process: the runs, which the core keeps. */
public interface ResultSink {

    /**
     * Results of one or more batches, called by one thread at a time in the order they were made. The list is the
     * caller's again once this returns: keep what it holds, not the list.
     */
    void accept(List<Result> results);

    /** A tensor batch's results as a block: by default, the results it makes one by one. */
    default void accept(ResultBlock block) {
        accept((List<Result>) block);
    }

    /** Whether the run (or request) {@code id} waits for no result any more: the model may stop work for it. */
    default boolean ended(String id) {
        return false;
    }

    /** An item gave no result: its run counts it failed, in its place, and goes on. */
    void failed(Failed item);
}
