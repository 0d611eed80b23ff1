package dev.mlpipe.run;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.mlpipe.config.MlpipeConfig;
import jakarta.inject.Singleton;

/**
 * What each client holds now, against {@code mlpipe.limits}: its active runs and its open event streams. A slot is
 * taken before the run starts or the stream opens, and given back once when it ends; a client that holds nothing has
 * no entry, so the addresses of clients long gone take no memory.
 */
@Singleton
public class ClientLimits {

    /** One run or stream of a client; giving it back twice gives it back once. */
    public static final class Slot {
        private final Counts counts;
        private final Client client;
        private final AtomicBoolean held = new AtomicBoolean(true);

        private Slot(Counts counts, Client client) {
            this.counts = counts;
            this.client = client;
        }

        public void release() {
            if (held.compareAndSet(true, false)) {
                counts.release(client);
            }
        }
    }

    private final Counts runs;
    private final Counts streams;

    ClientLimits(MlpipeConfig config) {
        this.runs = new Counts(config.limits().runsPerClient());
        this.streams = new Counts(config.limits().streamsPerClient());
    }

    /** @throws RunRefused.TooManyRunsForClient when the client has its limit of active runs already */
    Slot takeRun(Client client) {
        if (!runs.take(client)) {
            throw new RunRefused.TooManyRunsForClient(client, runs.limit);
        }
        return new Slot(runs, client);
    }

    /** @throws RunRefused.TooManyStreamsForClient when the client has its limit of open event streams already */
    public Slot takeStream(Client client) {
        if (!streams.take(client)) {
            throw new RunRefused.TooManyStreamsForClient(client, streams.limit);
        }
        return new Slot(streams, client);
    }

    /** Counts by client, each at most {@code limit}. */
    private static final class Counts {
        private final int limit;
        private final ConcurrentHashMap<Client, Integer> held = new ConcurrentHashMap<>();

        Counts(int limit) {
            this.limit = limit;
        }

        boolean take(Client client) {
            boolean[] taken = new boolean[1];
            held.compute(client, (c, n) -> {
                int now = n == null ? 0 : n;
                if (now >= limit) {
                    return n;
                }
                taken[0] = true;
                return now + 1;
            });
            return taken[0];
        }

        void release(Client client) {
            held.computeIfPresent(client, (c, n) -> n == 1 ? null : n - 1);
        }
    }
}
