package dev.mlpipe.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * 6a, 6b, 6c: a fresh mlpipe, started as the documentation says, from starting the process to the first 200 on
 * {@code /q/health/ready} (management port); then at once a 10-item run ({@code inferenceMs: 0}, no sentinel) from
 * sending its {@code POST} to reading its end event, so that no work can hide after ready; and the RSS after a
 * 100,000-item run. Against scenario 6r's minimal Quarkus application of the same run. No warm-up: a cold start is
 * what is measured.
 */
final class StartUp implements Scenario {

    static final double FIRST_RUN_MS = 300;
    static final StartUp PLAIN = new StartUp("6a", "plain `java -jar`",
            jvm -> Service.Setup.asDocumented(List.of(), false), Double.NaN, 2, Double.NaN);
    static final StartUp RECOMMENDED = new StartUp("6b", "the production command's JVM options without the "
            + "class-data archive", jvm -> Service.Setup.asDocumented(jvm.recommended(), false), Double.NaN,
            Double.NaN, 200);
    static final StartUp PRODUCTION = new StartUp("6c", "the production command: its JVM options with the class-data "
            + "archive, from inside the application directory",
            jvm -> Service.Setup.asDocumented(jvm.production(), true), 1500, Double.NaN, 200);

    private final String id;
    private final String how;
    private final Function<JvmOptions, Service.Setup> setup;
    private final Figure ready;
    private final Figure firstRun;
    private final Figure rss;
    private final List<Target> targets;

    /**
     * @param readyMs the most ready may take, or NaN
     * @param overReference the most ready may take as a multiple of 6r's, or NaN
     * @param rssMb the RSS to stay below, or NaN
     */
    private StartUp(String id, String how, Function<JvmOptions, Service.Setup> setup, double readyMs,
            double overReference, double rssMb) {
        this.id = id;
        this.how = how;
        this.setup = setup;
        this.ready = new Figure("s" + id + ".readyMs", Unit.MILLISECONDS);
        this.firstRun = new Figure("s" + id + ".firstRunMs", Unit.MILLISECONDS);
        this.rss = new Figure("s" + id + ".rssMb", Unit.MEGABYTES);
        List<Target> targets = new ArrayList<>();
        if (!Double.isNaN(readyMs)) {
            targets.add(Target.Bound.of(ready, Target.Op.AT_MOST, readyMs).labelled("ready"));
        }
        if (!Double.isNaN(overReference)) {
            targets.add(new Target.Ratio(ready, ReferenceStart.READY, Target.Op.AT_MOST, overReference, "ready",
                    "6r's"));
        }
        targets.add(Target.Bound.of(firstRun, Target.Op.AT_MOST, FIRST_RUN_MS).labelled("10 items").inEveryRun());
        if (!Double.isNaN(rssMb)) {
            targets.add(Target.Bound.of(rss, Target.Op.BELOW, rssMb).labelled("RSS"));
        }
        this.targets = List.copyOf(targets);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String group() {
        return "start";
    }

    @Override
    public List<Figure> figures() {
        return List.of(ready, firstRun, rss);
    }

    @Override
    public List<Figure> reads() {
        return List.of(ReferenceStart.READY);
    }

    @Override
    public void measure(Harness h, Measurements m) throws Exception {
        try (Service s = h.mlpipe(setup.apply(h.jvm()))) {
            m.add(ready, s.readyMillis());
            m.add(firstRun, s.client().followedMillis(RunSpec.random(10)));
            s.client().timedRun(RunSpec.random(100_000));
            m.add(rss, s.rssMb());
        }
    }

    @Override
    public List<Row> rows(Measurements m) {
        return List.of(new Row(id, "start to the first 200 on `/q/health/ready`, then a 10-item run at once (`POST` "
                + "to its end event); RSS after a 100,000-item run: " + how, targets,
                "ready in " + m.show(ready) + "; 10 items in " + m.show(firstRun) + "; " + m.show(rss),
                "6r: ready in " + m.show(ReferenceStart.READY), m.ratio(ready, ReferenceStart.READY)));
    }
}
