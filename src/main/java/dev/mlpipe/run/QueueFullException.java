package dev.mlpipe.run;

/** Ends a run whose overflow policy is {@code fail} when one of its items finds the queue full. */
final class QueueFullException extends RuntimeException {

    QueueFullException(long seq, int capacity) {
        super("the queue was full (capacity " + capacity + ") when item " + seq
                + " was loaded, and the run's overflow policy is fail", null, false, false);
    }
}
