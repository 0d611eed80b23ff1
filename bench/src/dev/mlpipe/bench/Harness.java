package dev.mlpipe.bench;

import java.util.List;
import java.util.Map;

/**
 * What a scenario's repeat needs: the options, the JVM options the documentation recommends, and the processes to
 * measure, each started fresh. Every service but scenario 6's runs with the recommended options, as the Dockerfile
 * does; each baseline and the card's construct run in a JVM with the same options, so both sides of a ratio start
 * alike.
 *
 * @param repeat which repeat this is, from 1: the sides of a comparison take turns going first
 */
record Harness(Options options, JvmOptions jvm, int repeat) {

    interface Step {
        void run() throws Exception;
    }

    interface ShapeStep {
        void run(ChildJvm baseline, Baseline.Shape shape) throws Exception;
    }

    /** mlpipe with the recommended JVM options and these settings. */
    Service mlpipe(Map<String, String> settings) throws Exception {
        return Service.start(options.jar(), Service.Setup.mlpipe(settings, jvm.recommended()));
    }

    Service mlpipe(Service.Setup setup) throws Exception {
        return Service.start(options.jar(), setup);
    }

    /** Scenario 6r's minimal Quarkus REST application, plain {@code java -jar}. */
    Service reference() throws Exception {
        return Service.start(options.reference(), Service.Setup.reference());
    }

    /** The plain-threads baseline's JVM, with the service's options. */
    ChildJvm baseline() throws Exception {
        return ChildJvm.start(jvm.recommended(), Baseline.class);
    }

    /** Each shape of the baseline, in a fresh JVM of its own. */
    void eachShape(ShapeStep step) throws Exception {
        for (Baseline.Shape shape : Baseline.Shape.values()) {
            try (ChildJvm b = baseline()) {
                step.run(b, shape);
            }
        }
    }

    /** The design card's construct in plain Mutiny, in a JVM with the service's options. */
    ChildJvm card() throws Exception {
        return ChildJvm.start(jvm.recommended(), Card.class);
    }

    /** Both sides of a comparison, the first one first in odd repeats and second in even ones: load drifts. */
    void inTurn(Step first, Step second) throws Exception {
        for (Step step : repeat % 2 == 1 ? List.of(first, second) : List.of(second, first)) {
            step.run();
        }
    }
}
