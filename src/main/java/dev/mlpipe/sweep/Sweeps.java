package dev.mlpipe.sweep;

import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.load.Datasets;
import dev.mlpipe.model.LoadedModel;
import dev.mlpipe.model.Models;
import dev.mlpipe.run.Client;
import dev.mlpipe.run.Run;
import dev.mlpipe.run.RunRefused;
import dev.mlpipe.run.Runs;
import io.netty.util.concurrent.DefaultThreadFactory;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Validator;

/**
 * Starts sweeps, one at a time, and runs each as a sequence of ordinary runs: the next starts once the last ended, and
 * the pipeline's settings are applied before a step and restored after the sweep through {@link PipelineControl}.
 */
@ApplicationScoped
public class Sweeps {

    private static final Logger LOG = Logger.getLogger(Sweeps.class);

    private final Runs runs;
    private final LivePipeline pipelines;
    private final Models models;
    private final Datasets datasets;
    private final Validator validator;
    private final MlpipeConfig config;
    private final ConcurrentHashMap<String, Sweep> byId = new ConcurrentHashMap<>();
    /** Ended sweeps, oldest first: the order they are forgotten in. */
    private final ConcurrentLinkedDeque<Sweep> ended = new ConcurrentLinkedDeque<>();
    private final AtomicReference<Sweep> active = new AtomicReference<>();
    private final AtomicLong numbers = new AtomicLong();
    /** Where a sweep starts its next run once the last ended: never on the thread that ended it (a result's). */
    private final ExecutorService sweepThread = Executors.newSingleThreadExecutor(
            new DefaultThreadFactory("mlpipe-sweep", true));

    Sweeps(Runs runs, LivePipeline pipelines, Models models, Validator validator, MlpipeConfig config) {
        this.runs = runs;
        this.pipelines = pipelines;
        this.models = models;
        this.datasets = runs.datasets(); // one replay memory for all runs, a sweep's too
        this.validator = validator;
        this.config = config;
    }

    /**
     * Checks the sweep and starts its first run, for {@code client}, whose limits count each of its runs.
     *
     * @throws SweepRefused when the sweep is invalid or another runs
     * @throws RunRefused when its first run cannot start
     */
    public Sweep start(SweepRequest request, Client client) {
        LoadedModel model = runs.model(request.model());
        SweepPlan plan = request.plan(validator, new SweepRequest.Limits(model, datasets, config.runs().maxDuration(),
                config.sweeps().maxSteps(), config.sweeps().maxDuration()), pipelines.of(model));
        Sweep sweep = new Sweep(HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(4),
                numbers.incrementAndGet(), plan);
        Sweep running = active.compareAndExchange(null, sweep);
        if (running != null) {
            throw new SweepRefused.SweepRunning(running.id());
        }
        byId.put(sweep.id(), sweep);
        try {
            startRun(sweep, client);
        } catch (RuntimeException e) { // its first run was refused: as if it had never started
            byId.remove(sweep.id());
            restore(sweep);
            active.set(null);
            throw e;
        }
        return sweep;
    }

    /** The control of the settings of the model a sweep runs on. */
    private PipelineControl pipeline(Sweep sweep) {
        return pipelines.of(models.find(sweep.plan().base().model()).orElseThrow());
    }

    public Optional<Sweep> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public List<Sweep> newestFirst() {
        return byId.values().stream().sorted(Comparator.comparingLong(Sweep::number).reversed()).toList();
    }

    /** Ends the sweep and cancels its current run; cancelling an ended sweep changes nothing. */
    public void cancel(Sweep sweep) {
        Run current = sweep.cancel();
        if (current != null) {
            current.cancel();
        }
        finished(sweep);
    }

    @PreDestroy
    void stop() {
        sweepThread.shutdownNow();
    }

    private void startRun(Sweep sweep, Client client) {
        SweepPlan.Point point = sweep.point();
        synchronized (sweep) { // never after the restore of a cancel that came meanwhile (see restore)
            if (!sweep.isRunning()) {
                return; // cancelled while its last run ended
            }
            if (sweep.plan().changesPipeline()) {
                pipeline(sweep).apply(point.pipeline());
            }
        }
        Run run = runs.startInSweep(point.run(), client, sweep.id());
        if (!sweep.started(run)) {
            run.cancel(); // the sweep was cancelled while this run started
            return;
        }
        Integer sloMs = sweep.plan().sloMs();
        run.whenEnded().thenAcceptAsync(r -> {
            Sweep.Next next;
            try {
                next = sweep.ended(r, sloMs != null ? r.processedWithin(sloMs) : null);
            } catch (RuntimeException e) { // never leave a sweep running with nothing to end it
                LOG.errorf(e, "sweep %s failed after run %s", sweep.id(), r.id());
                sweep.fail("it failed after run " + r.id() + ": " + e);
                next = Sweep.Next.STOP;
            }
            if (next == Sweep.Next.START_RUN) {
                next(sweep, client);
            } else {
                finished(sweep);
            }
        }, sweepThread);
    }

    private void next(Sweep sweep, Client client) {
        try {
            startRun(sweep, client);
        } catch (RuntimeException e) {
            LOG.infof("sweep %s stopped: %s", sweep.id(), e.getMessage());
            sweep.fail("its next run did not start: " + e.getMessage());
            finished(sweep);
        }
    }

    /**
     * The settings the sweep found, back. Under the sweep's lock, as a step's settings are applied: a cancel ends the
     * sweep before it restores, so a step either applied its settings before this (and they are undone) or finds the
     * sweep ended and applies nothing.
     */
    private void restore(Sweep sweep) {
        synchronized (sweep) {
            if (sweep.plan().changesPipeline()) {
                pipeline(sweep).apply(sweep.plan().found());
            }
        }
    }

    /** Restores the pipeline's settings and lets the next sweep start; the oldest ended ones are forgotten. */
    private void finished(Sweep sweep) {
        if (!active.compareAndSet(sweep, null)) {
            return; // told already
        }
        restore(sweep);
        ended.addLast(sweep);
        while (ended.size() > config.sweeps().retained()) {
            Sweep oldest = ended.pollFirst();
            if (oldest != null) {
                byId.remove(oldest.id());
                runs.forgetSweep(oldest.id());
            }
        }
    }
}
