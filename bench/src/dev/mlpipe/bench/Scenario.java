package dev.mlpipe.bench;

import java.util.List;

/**
 * One scenario of bench/README.md: what it measures (its figures), how (once per repeat, on fresh processes), and
 * its rows of the table with their targets. {@link Scenarios#ALL} lists them all.
 */
interface Scenario {

    /** As in the table: "1", "1b", "3a". */
    String id();

    /** The {@code --only} group it belongs to. */
    String group();

    /** The figures it measures, each named once. */
    List<Figure> figures();

    /** Figures of other scenarios its rows divide by: {@code --only} runs their scenarios too. */
    default List<Figure> reads() {
        return List.of();
    }

    /** One repeat: measures every figure of {@link #figures()} at least once, on processes it starts and stops. */
    void measure(Harness harness, Measurements m) throws Exception;

    List<Row> rows(Measurements m);
}
