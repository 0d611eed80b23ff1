package dev.mlpipe.load;

import java.util.Iterator;
import java.util.SplittableRandom;

import dev.mlpipe.run.RunSpec;
import io.smallrye.mutiny.Multi;

/**
 * A run's source of values: uniform draws from {@code [min, max]} by {@code SplittableRandom(seed)}, or the run's
 * {@code items} in order. Values are made only on demand, so a loader that waits for room in the queue draws nothing
 * meanwhile. It stops right after emitting the sentinel (which is loaded like any value), after {@code maxItems}
 * values, or at the end of the items.
 */
public final class Loader {

    private Loader() {
    }

    public static Multi<Integer> values(RunSpec spec) {
        return Multi.createFrom().generator(() -> new Progress(source(spec)), (progress, out) -> {
            if (!progress.source.hasNext()) {
                out.complete();
                return progress;
            }
            int value = progress.source.next();
            out.emit(value);
            if (value == spec.sentinel() || ++progress.emitted == spec.maxItems()) {
                out.complete();
            }
            return progress;
        });
    }

    private static Iterator<Integer> source(RunSpec spec) {
        if (spec.items() != null) {
            return spec.items().iterator();
        }
        return new SplittableRandom(spec.seed())
                .longs(spec.min(), spec.max() + 1L)
                .mapToObj(v -> (int) v)
                .iterator();
    }

    private static final class Progress {
        final Iterator<Integer> source;
        long emitted;

        Progress(Iterator<Integer> source) {
            this.source = source;
        }
    }
}
