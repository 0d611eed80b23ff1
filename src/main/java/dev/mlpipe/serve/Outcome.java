package dev.mlpipe.serve;

import dev.mlpipe.model.Result;

/** How an inference request ended. Every request ends in exactly one, and is answered with it unless it was cancelled. */
public sealed interface Outcome {

    /** The metrics' name for it. */
    String label();

    /** Every row gave a result: {@code results[i]} is row i's. */
    record Answered(Result[] results) implements Outcome {
        @Override
        public String label() {
            return "answered";
        }
    }

    /**
     * Not answered with results, for a reason the client can read.
     *
     * @param retryAfterSeconds what {@code Retry-After} says, 0 for none
     */
    record Refused(String label, int status, String message, int retryAfterSeconds) implements Outcome {

        static Refused timedOut(String message) {
            return new Refused("timeout", 503, message, 1);
        }

        static Refused full(String message) {
            return new Refused("full", 503, message, 1);
        }

        static Refused failed(String message) {
            return new Refused("failed", 500, message, 0);
        }

        static Refused shuttingDown() {
            return new Refused("unavailable", 503, "the server is shutting down", 5);
        }
    }

    /** The client went away: its rows that had not run were taken out of the queue, and nobody is answered. */
    record Cancelled() implements Outcome {
        @Override
        public String label() {
            return "cancelled";
        }
    }
}
