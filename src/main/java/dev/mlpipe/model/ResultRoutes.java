package dev.mlpipe.model;

import java.util.List;

import dev.mlpipe.observe.PipelineMetrics;
import dev.mlpipe.queue.Failed;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;

/**
 * Where the model's results go, in one process or back from a broker: each to the {@link ResultOwner} that holds its
 * id (a run, or a v2 request), a run's consecutive ones together. One no owner holds (a run no longer kept, a request
 * already answered) is counted, not lost silently.
 */
@Singleton
public class ResultRoutes implements ResultSink {

    private final Instance<ResultOwner> found;
    private final PipelineMetrics metrics;
    /** Looked up on first use: the owners find their models, which send their results here, so they come later. */
    private volatile List<ResultOwner> owners;

    ResultRoutes(Instance<ResultOwner> found, PipelineMetrics metrics) {
        this.found = found;
        this.metrics = metrics;
    }

    private List<ResultOwner> owners() {
        List<ResultOwner> now = owners;
        if (now == null) {
            now = found.stream().toList();
            owners = now;
        }
        return now;
    }

    @Override
    public void accept(List<Result> results) {
        List<ResultOwner> owners = owners();
        int from = 0;
        while (from < results.size()) {
            String id = results.get(from).runId();
            int to = from + 1;
            while (to < results.size() && id != null && id.equals(results.get(to).runId())) {
                to++;
            }
            if (!taken(owners, id, results, from, to)) {
                metrics.unexpectedResults(to - from);
            }
            from = to;
        }
    }

    /** A block's rows of one run together, as {@link #accept(List)} does, without making a result of any. */
    @Override
    public void accept(ResultBlock block) {
        List<ResultOwner> owners = owners();
        int from = 0;
        while (from < block.size()) {
            String id = block.runId(from);
            int to = from + 1;
            while (to < block.size() && id != null && id.equals(block.runId(to))) {
                to++;
            }
            if (!taken(owners, id, block, from, to)) {
                metrics.unexpectedResults(to - from);
            }
            from = to;
        }
    }

    private static boolean taken(List<ResultOwner> owners, String id, ResultBlock block, int from, int to) {
        if (id == null) {
            return false;
        }
        for (ResultOwner owner : owners) {
            if (owner.accept(id, block, from, to)) {
                return true;
            }
        }
        return false;
    }

    private static boolean taken(List<ResultOwner> owners, String id, List<Result> results, int from, int to) {
        if (id == null) {
            return false;
        }
        for (ResultOwner owner : owners) {
            if (owner.accept(id, results, from, to)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean ended(String id) {
        for (ResultOwner owner : owners()) {
            if (owner.ended(id)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void failed(Failed item) {
        for (ResultOwner owner : owners()) {
            if (owner.failed(item)) {
                return;
            }
        }
        metrics.unexpectedResults(1);
    }
}
