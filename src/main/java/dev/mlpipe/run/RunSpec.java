package dev.mlpipe.run;

import java.util.OptionalInt;

import dev.mlpipe.load.ValueSource;
import dev.mlpipe.queue.Overflow;

/**
 * What a run executes: a {@link RunRequest} with the defaults filled in, the rules across fields checked, and a seed
 * chosen when none was given, so a run can be replayed.
 *
 * @param sentinel the value that ends the run; empty for a run of exactly maxItems values (or its whole list)
 */
public record RunSpec(ValueSource source, OptionalInt sentinel, int maxItems, int loadIntervalMs, int inferenceMs,
        Overflow overflow) {
}
