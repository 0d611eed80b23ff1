/**
 * Runs: a run's spec, state, lifecycle and accounting ({@link dev.mlpipe.run.Run}, {@link dev.mlpipe.run.Runs}), and
 * the results kept for its readers: {@link dev.mlpipe.run.History} (readers), {@link dev.mlpipe.run.ResultColumns}
 * (storage and eviction), {@link dev.mlpipe.run.PaceGate} (the loader's pace) and
 * {@link dev.mlpipe.run.HistoryBudget} (the memory all runs share).
 * <h2>Lock order</h2>
 * A thread that holds two of these locks took them in this order, never the other way:
 * <ol>
 * <li>a {@link dev.mlpipe.run.Run}'s (its counts, and the appends to its results);</li>
 * <li>the {@link dev.mlpipe.run.HistoryBudget}'s (every run's table of chunks; taken when an append needs a chunk,
 * and when a run ends or is forgotten).</li>
 * </ol>
 * A {@link dev.mlpipe.run.PaceGate}'s lock is taken alone. No callback runs under any of them: a reader's listener
 * runs after the appender lets its run's lock go ({@link dev.mlpipe.run.History#tellReaders}), the readers of a run
 * whose results were evicted are told after the budget's lock is let go, and a paused loader's resume runs after the
 * gate's lock is let go. So a listener may take any of these locks, on any thread, and wait for it.
 */
package dev.mlpipe.run;
