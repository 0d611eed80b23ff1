package dev.mlpipe.queue;

/**
 * What comes back to a run for an item it loaded: the model's result, or word that the item expired in the queue or
 * failed. A run releases them to its readers in load order, each by its seq.
 */
public interface Returned {

    String runId();

    long seq();
}
