package dev.mlpipe.sweep;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import dev.mlpipe.run.Run;
import dev.mlpipe.run.RunState;
import dev.mlpipe.run.RunView;

/**
 * One sweep's progress: the step it is at, the repeats done of it, the finished steps, and the clients following it.
 * {@link Sweeps} drives it; everything here happens under its lock, so a follower never misses nor repeats a step.
 */
public final class Sweep {

    /** What the sweep does after a run ended. */
    enum Next {
        START_RUN, STOP
    }

    /** Someone following the sweep's events. */
    public record Follower(Consumer<Step> step, Consumer<SweepView> end) {
    }

    private final String id;
    private final long number;
    private final SweepPlan plan;
    private final Instant createdAt = Instant.now();
    // guarded by this
    private SweepState state = SweepState.RUNNING;
    private final List<Step> steps = new ArrayList<>();
    private final List<Step.Repeat> repeats = new ArrayList<>();
    private List<Saturation> saturation = List.of();
    private Run current;
    private Instant endedAt;
    private String failure;
    private final List<Follower> followers = new ArrayList<>();

    Sweep(String id, long number, SweepPlan plan) {
        this.id = id;
        this.number = number;
        this.plan = plan;
    }

    public String id() {
        return id;
    }

    long number() {
        return number;
    }

    SweepPlan plan() {
        return plan;
    }

    /** The step whose next repeat starts now. */
    synchronized SweepPlan.Point point() {
        return plan.points().get(steps.size());
    }

    /** @return whether the run belongs to the sweep now; false when the sweep ended meanwhile (cancel the run) */
    synchronized boolean started(Run run) {
        if (state != SweepState.RUNNING) {
            return false;
        }
        current = run;
        return true;
    }

    /** A run of the current step ended: a repeat done, perhaps a step, perhaps the sweep. */
    synchronized Next ended(Run run, Double withinSlo) {
        if (state != SweepState.RUNNING || run != current) {
            return Next.STOP;
        }
        current = null;
        RunView view = run.view();
        if (view.state() != RunState.COMPLETED) {
            end(SweepState.FAILED, "run " + run.id() + " ended " + view.state().name().toLowerCase(Locale.ROOT)
                    + (view.failure() != null ? ": " + view.failure() : ""));
            return Next.STOP;
        }
        repeats.add(new Step.Repeat(view, withinSlo));
        if (repeats.size() < plan.repeats()) {
            return Next.START_RUN;
        }
        Step step = Step.of(point(), List.copyOf(repeats), plan.sloMs());
        repeats.clear();
        steps.add(step);
        List.copyOf(followers).forEach(f -> f.step().accept(step)); // a follower told may stop following at once
        if (steps.size() < plan.points().size()) {
            return Next.START_RUN;
        }
        saturation = Saturation.of(plan.points(), steps);
        end(SweepState.COMPLETED, null);
        return Next.STOP;
    }

    /** @return the run it stopped, or null when the sweep had ended or was between runs */
    synchronized Run cancel() {
        if (state != SweepState.RUNNING) {
            return null;
        }
        Run running = current;
        current = null;
        end(SweepState.CANCELLED, null);
        return running;
    }

    synchronized void fail(String reason) {
        if (state == SweepState.RUNNING) {
            current = null;
            end(SweepState.FAILED, reason);
        }
    }

    synchronized boolean isRunning() {
        return state == SweepState.RUNNING;
    }

    /**
     * Tells {@code follower} of each finished step, those before now first, and then of the end.
     *
     * @return what stops following
     */
    public synchronized Runnable follow(Follower follower) {
        steps.forEach(follower.step());
        if (state != SweepState.RUNNING) {
            follower.end().accept(view());
            return () -> {
            };
        }
        followers.add(follower);
        return () -> {
            synchronized (this) {
                followers.remove(follower);
            }
        };
    }

    public synchronized SweepView view() {
        return new SweepView(id, state, new SweepView.Spec(plan.base(), plan.pipeline(), plan.vary(), plan.repeats(), plan.sloMs()),
                plan.points().size(), List.copyOf(steps), saturation, current != null ? current.id() : null,
                createdAt, endedAt, failure);
    }

    private void end(SweepState finalState, String reason) {
        state = finalState;
        failure = reason;
        endedAt = Instant.now();
        SweepView view = view();
        List<Follower> told = List.copyOf(followers);
        followers.clear();
        told.forEach(f -> f.end().accept(view)); // each stops following as its stream completes
    }
}
