package dev.mlpipe.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithDefaults;
import io.smallrye.config.WithName;

/** Every {@code mlpipe.*} setting; the README's config table lists the same keys, {@link SettingRanges} their ranges. */
@ConfigMapping(prefix = "mlpipe")
public interface MlpipeConfig {

    /** What this process does: everything, or one side of a pipeline split over a broker. */
    enum Role {
        /** Runs, loaders, the event streams and the model: the default, and all a single machine needs. */
        ALL,
        /** Runs, loaders and the event streams; inference is left to workers, over the broker. */
        API,
        /** Inference only: takes items from the broker, sends results back. */
        WORKER;

        /** As the setting spells it, and as the API and readiness show it. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @WithDefault("all")
    Role role();

    /** Names this process in results ("worker") and in its broker queue; by default host name and process id. */
    String instanceId();

    /**
     * The models, each loaded once at start with its own queue and batcher: {@code simulated} (the toy model) and the
     * shipped {@code digits} are there unless set otherwise; every other name adds one. A name no key sets reads every
     * default.
     */
    @WithDefaults
    Map<String, ModelSettings> models();

    /** The simulated model's settings, {@code mlpipe.models.simulated.*}: PUT /api/pipeline changes some live. */
    default ModelSettings simulated() {
        return models().get("simulated");
    }

    /**
     * Keys of {@code mlpipe.queue.*}, retired: {@code mlpipe.models.simulated.*} took their place, and a start with one
     * refuses, naming the new key ({@link SettingRanges}).
     */
    @WithName("queue")
    Map<String, String> retiredQueue();

    /** Keys of {@code mlpipe.model.*}, retired as {@link #retiredQueue()}. */
    @WithName("model")
    Map<String, String> retiredModel();

    DatasetFiles datasets();

    Runs runs();

    Stream stream();

    Auth auth();

    Limits limits();

    Http http();

    V2 v2();

    /** The Open Inference Protocol (KServe v2) server on the public port: {@code mlpipe.v2.*}. */
    interface V2 {
        /** How long a request without a {@code timeout} parameter waits for its rows' results at most. */
        @WithDefault("30s")
        Duration maxWait();
    }

    /** One model's settings: {@code mlpipe.models.<name>.*}. */
    interface ModelSettings {
        /** How items are inferred: ONNX Runtime, the simulated model's timer, or a remote v2 server. */
        enum Backend {
            ONNX,
            SIMULATED,
            V2
        }

        /** By default {@code simulated} for the model of that name, {@code onnx} for any other. */
        Optional<Backend> backend();

        /** Places in this model's own bounded queue, shared by the runs on it. */
        @WithDefault("10")
        int capacity();

        /** Batches this model runs at once, each on a thread of its own pool. */
        @WithDefault("1")
        int concurrency();

        /** Items this model takes from its queue at once and runs as one call. */
        @WithDefault("1")
        int maxBatchSize();

        /** How long a batch that is not full may wait for more items; 0 takes what is queued. */
        @WithDefault("0s")
        Duration batchDelay();

        /** Random inputs of a tensor model are drawn uniformly from random-min to random-max (a run may override). */
        @WithDefault("0")
        double randomMin();

        @WithDefault("1")
        double randomMax();

        /** The simulated backend's inference time per item. */
        @WithDefault("100")
        int inferenceMs();

        /**
         * The simulated backend's cost of each item beyond a batch's first, as a fraction of a one-item inference: a
         * batch of n takes {@code inferenceMs x (1 + batchItemCost x (n - 1))}, much less than n inferences, as on a
         * GPU.
         */
        @WithDefault("0.05")
        double batchItemCost();

        /**
         * The ONNX file: a path, or {@code classpath:} and a resource; by default the shipped model of this name,
         * {@code classpath:models/<name>.onnx}.
         */
        Optional<String> path();

        /** The input the model is fed; by default its first. */
        Optional<String> input();

        /** The output read back; by default its first. */
        Optional<String> output();

        /** ONNX Runtime's threads per call: 1 runs each call on its batch's thread alone. */
        @WithDefault("1")
        int intraOpThreads();

        /**
         * What a v2 inference request whose rows do not fit in this model's queue does: wait for room within its
         * timeout, or be answered 503 with {@code Retry-After} at once.
         */
        @WithDefault("block")
        WhenFull v2WhenFull();

        // The v2 backend: the model is a remote Open Inference Protocol server, each batch one infer request to it.

        /** The server's base URL, such as {@code http://triton:8000}; required with {@code backend=v2}. */
        Optional<String> url();

        /** The remote model's name; by default this model's. */
        Optional<String> model();

        /** The remote model's version; by default none (the server's choice). */
        Optional<String> version();

        /** How long one request to the server may take before it counts as unanswered. */
        @WithDefault("10s")
        Duration timeout();

        /** Connections to the server at most (kept alive, shared by the model's batches). */
        @WithDefault("8")
        int maxConnections();

        /** Send the input and ask for the output as binary tensors (Triton's extension) rather than JSON. */
        @WithDefault("true")
        boolean binary();

        /** Tries after the first of a batch the server did not answer (a connection error, a timeout, a 503). */
        @WithDefault("3")
        int retries();

        /** The wait before the first retry; it doubles for each next one. */
        @WithDefault("200ms")
        Duration retryDelay();

        enum WhenFull {
            BLOCK,
            REJECT
        }
    }

    interface DatasetFiles {
        /** A folder of the operator's datasets ({@code <name>.csv}), found before the shipped ones of a name. */
        Optional<Path> dir();

        /**
         * The most memory the running runs' datasets may take parsed, all together, for each run's later passes
         * ({@code repeat}) to replay its first; a run whose dataset does not fit in what is left reads its file on
         * every pass. 0 reads every pass.
         */
        @WithDefault("32M")
        MemorySize replayMemory();
    }

    interface Runs {
        /** Finished runs kept for late clients; the oldest is evicted first. */
        @WithDefault("20")
        int retained();

        /** Runs that may be active at once; one more is answered 429 with Retry-After. */
        @WithDefault("100")
        int maxActive();

        /**
         * The longest a run may last at worst: its items times its load interval plus its inference. A longer spec is
         * refused, naming the fields, so that no request holds the pipeline for days.
         */
        @WithDefault("24h")
        Duration maxDuration();
    }

    Sweeps sweeps();

    interface Sweeps {
        /** Steps a sweep may have: its axis' values, or the cells of its grid. */
        @WithDefault("50")
        int maxSteps();

        /** The longest a sweep may last at worst: all its runs' worst cases, repeats included. */
        @WithDefault("2h")
        Duration maxDuration();

        /** Ended sweeps kept for {@code GET /api/sweeps}; the oldest is forgotten first. */
        @WithDefault("20")
        int retained();
    }

    Broker broker();

    interface Broker {
        /** Set by the {@code broker} profile: the links between stages go through RabbitMQ. */
        @WithDefault("false")
        boolean enabled();

        /**
         * Names everything mlpipe holds on the broker ({@code <ns>.items}, {@code <ns>.results}, ...): deployments
         * with different namespaces share a broker without seeing each other's items.
         */
        @WithDefault("mlpipe")
        String namespace();

        /** No longer read: the namespace names the queue. Mapped so that a start with it refuses, naming that. */
        Optional<String> itemsQueue();

        /** No longer read: the namespace names the exchange. Mapped so that a start with it refuses, likewise. */
        Optional<String> resultsExchange();

        /**
         * A worker sends an item to the dead letters ({@code <namespace>.dead}) once this many of its deliveries have
         * failed (a worker died on it each time), and its run counts it failed.
         */
        @WithDefault("3")
        int maxDeliveries();

        /**
         * Batches a worker holds ahead of each model slot: its prefetch of a model's queue is this x that model's
         * concurrency x max-batch-size, so the round trip of a result's confirm and the next delivery overlaps the
         * model's work.
         */
        @WithDefault("4")
        int prefetchBatches();

        /**
         * The fewest messages a worker holds ahead (its prefetch at least), whatever its batches: each item's result
         * waits for the broker's confirm before the item is acknowledged, and a worker that held only a few paid that
         * round trip every few items; one that holds hundreds sends the results of a fast model many to a message
         * while it waits (BENCHMARKS.md, "through the broker"). A model's capacity bounds what a worker holds too.
         * 1 gives each item to the first free worker strictly by priority.
         */
        @WithDefault("512")
        int minPrefetch();

        /** A broker unreachable this long fails the runs still going, with a message saying so. */
        @WithDefault("60s")
        Duration outageLimit();

        /**
         * A message published and neither confirmed nor refused by the broker within this long is taken as refused,
         * and sent again (counted in {@code mlpipe_broker_resends_total{reason="timed-out"}}); a confirm that comes
         * after is ignored. A lost confirm would otherwise hold its item, or a worker's input, for ever.
         */
        @WithDefault("30s")
        Duration confirmTimeout();

        /**
         * On an api: the most items a {@code block} loader's chunk puts in one message to a model's items queue (a
         * {@code drop} or {@code fail} loader sends one item a message, as it hears of each refusal). Up to
         * {@link PipelineSettings#MAX_CHUNK}, a loader's chunk; workers read messages of one item or several alike.
         */
        @WithDefault("32")
        int itemsPerMessage();
    }

    interface Stream {
        /** A stream idle for half of this gets a comment line, so no idle stream goes this long without a byte. */
        @WithDefault("15s")
        Duration heartbeat();

        /** A running run's stream gets a {@code stats} event this often. */
        @WithDefault("250ms")
        Duration statsInterval();

        /**
         * A run's pace window: its loader is never more than this many items ahead of its slowest lossless client, and
         * while it runs its newest this many results are always kept.
         */
        @WithDefault("10000")
        int history();

        /**
         * Memory for the kept results of all runs together; beyond it the oldest finished runs' results are evicted
         * first. The pace windows of running runs are always kept, even beyond it.
         */
        @WithDefault("64M")
        MemorySize historyMemory();

        /** A client that has taken no bytes off its connection for this long, with events waiting for it, is cut off. */
        @WithDefault("30s")
        Duration stallTimeout();
    }

    /** Who may do what: docs/operations.md, "Security"; {@code api.Accounts} makes the accounts. */
    interface Auth {
        /**
         * Whether the API and the page ask who is calling. Off in dev mode and tests; in production, when on, a service
         * that listens beyond loopback refuses to start without an account.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * The password of the {@code operator} account: reads, starts and cancels runs. Taken as written
         * ({@link LiteralPasswords}), at least 8 characters.
         */
        Optional<String> operatorPassword();

        /** The password of the {@code viewer} account: the page, runs and their streams; by default the operator's. */
        Optional<String> viewerPassword();

        /**
         * Named accounts, one a line: {@code name:role:hash}, the role {@code operator} or {@code viewer}, the hash a
         * bcrypt one as {@code htpasswd -nbB} prints it; besides the two accounts of the passwords.
         */
        Optional<Path> usersFile();

        /** Failed sign-ins from one address, within {@link #signInLockout()} of the first, before it is refused. */
        @WithDefault("10")
        int signInFailures();

        /** How long an address that failed to sign in {@link #signInFailures()} times is refused (429). */
        @WithDefault("5m")
        Duration signInLockout();
    }

    /**
     * What one client, and all clients at one address, may hold at once, so that no one takes what the service has for
     * all: a client is the signed-in user when there is one, else the remote address; the per-address limits count
     * every request from an address, signed in or not, and the stricter of the two refuses. A group of its own rather
     * than within runs and stream: the caps are one concern (who may take how much), set together.
     */
    interface Limits {
        /** The per-address limits' default: this many times the per-client one. */
        int PER_ADDRESS = 4;

        /** Runs one client may have active at once; one more is answered 429 with Retry-After. */
        @WithDefault("10")
        int runsPerClient();

        /** Event streams one client may have open at once (runs' and sweeps'); one more is a 429. */
        @WithDefault("100")
        int streamsPerClient();

        /** Runs all clients at one address may have active at once; by default {@link #PER_ADDRESS} x runs-per-client. */
        OptionalInt runsPerAddress();

        /** Event streams all clients at one address may have open at once; by default {@link #PER_ADDRESS} x streams-per-client. */
        OptionalInt streamsPerAddress();

        /**
         * Model time one client's active runs may take together at worst, each run's worst case as
         * {@code mlpipe.runs.max-duration} counts it; a run beyond it is answered 429.
         */
        @WithDefault("24h")
        Duration modelTimePerClient();

        /** Open connections to the public port, all clients together; at the cap one that has not signed in makes room. */
        @WithDefault("2000")
        int maxConnections();

        /** Open connections to the public port from one remote address; one more is closed as it opens. */
        @WithDefault("200")
        int connectionsPerAddress();
    }

    /** The public port's connections and the host names it answers to: docs/operations.md, "Security". */
    interface Http {
        /** A request's line and headers must arrive within this of its first byte, or its connection is closed. */
        @WithDefault("10s")
        Duration headerTimeout();

        /** A connection none of whose requests signed in is closed once idle this long. */
        @WithDefault("5s")
        Duration unauthenticatedIdleTimeout();

        /**
         * Host names (without the port) requests may name in {@code Host}; when not set, a service open without a
         * password answers only to loopback names and the address it listens on (DNS rebinding).
         */
        Optional<List<String>> allowedHosts();
    }
}
