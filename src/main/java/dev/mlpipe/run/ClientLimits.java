package dev.mlpipe.run;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.config.MlpipeConfig.Limits;
import jakarta.inject.Singleton;

/**
 * What each client and each address holds now, against {@code mlpipe.limits}: active runs and the model time they may
 * take at worst, and open event streams. A request takes its client's share and its address's, whichever runs out
 * first refuses it. A slot is taken before the run starts or the stream opens, and given back once when it ends; a
 * client or address that holds nothing has no entry, so those long gone take no memory.
 */
@Singleton
public class ClientLimits {

    /** One run or stream; giving it back twice gives it back once. */
    public static final class Slot {
        private final Claim[] claims;
        private final AtomicBoolean held = new AtomicBoolean(true);

        private Slot(Claim[] claims) {
            this.claims = claims;
        }

        public void release() {
            if (held.compareAndSet(true, false)) {
                for (Claim claim : claims) {
                    claim.release();
                }
            }
        }
    }

    private final Budget runsByClient;
    private final Budget runsByAddress;
    private final Budget streamsByClient;
    private final Budget streamsByAddress;
    private final Budget modelMillisByClient;

    ClientLimits(MlpipeConfig config) {
        Limits limits = config.limits();
        this.runsByClient = new Budget(limits.runsPerClient());
        this.runsByAddress = new Budget(limits.runsPerAddress().orElse(Limits.PER_ADDRESS * limits.runsPerClient()));
        this.streamsByClient = new Budget(limits.streamsPerClient());
        this.streamsByAddress = new Budget(
                limits.streamsPerAddress().orElse(Limits.PER_ADDRESS * limits.streamsPerClient()));
        this.modelMillisByClient = new Budget(limits.modelTimePerClient().toMillis());
    }

    /**
     * @param worstCase how long the run may last at worst, its share of the client's model time
     * @throws RunRefused.TooMany when the client or its address has its limit of active runs already, or the client's
     *         runs would take more model time at worst than it may have
     */
    Slot takeRun(Client client, Duration worstCase) {
        long millis = worstCase.toMillis();
        return take(
                new Claim(runsByClient, client.key(), 1,
                        () -> new RunRefused.TooManyRunsForClient(client, (int) runsByClient.limit)),
                new Claim(runsByAddress, client.address(), 1,
                        () -> new RunRefused.TooManyRunsAtAddress(client.address(), (int) runsByAddress.limit)),
                new Claim(modelMillisByClient, client.key(), millis, () -> new RunRefused.ModelTimeSpent(client,
                        Duration.ofMillis(modelMillisByClient.held(client.key())), worstCase,
                        Duration.ofMillis(modelMillisByClient.limit))));
    }

    /** @throws RunRefused.TooMany when the client or its address has its limit of open event streams already */
    public Slot takeStream(Client client) {
        return take(
                new Claim(streamsByClient, client.key(), 1,
                        () -> new RunRefused.TooManyStreamsForClient(client, (int) streamsByClient.limit)),
                new Claim(streamsByAddress, client.address(), 1,
                        () -> new RunRefused.TooManyStreamsAtAddress(client.address(), (int) streamsByAddress.limit)));
    }

    /** All of the claims, or none of them and the first refusal. */
    private static Slot take(Claim... claims) {
        for (int i = 0; i < claims.length; i++) {
            if (!claims[i].take()) {
                for (int j = 0; j < i; j++) {
                    claims[j].release();
                }
                throw claims[i].refusal.get();
            }
        }
        return new Slot(claims);
    }

    private record Claim(Budget budget, String key, long amount, Supplier<RunRefused> refusal) {
        boolean take() {
            return budget.take(key, amount);
        }

        void release() {
            budget.release(key, amount);
        }
    }

    /** Amounts held by key, each at most {@code limit}. */
    private static final class Budget {
        private final long limit;
        private final ConcurrentHashMap<String, Long> held = new ConcurrentHashMap<>();

        Budget(long limit) {
            this.limit = limit;
        }

        boolean take(String key, long amount) {
            boolean[] taken = new boolean[1];
            held.compute(key, (k, now) -> {
                long before = now == null ? 0 : now;
                if (before + amount > limit) {
                    return now;
                }
                taken[0] = true;
                return before + amount;
            });
            return taken[0];
        }

        void release(String key, long amount) {
            held.computeIfPresent(key, (k, now) -> now - amount <= 0 ? null : now - amount);
        }

        long held(String key) {
            return held.getOrDefault(key, 0L);
        }
    }
}
