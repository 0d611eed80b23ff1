package dev.mlpipe.bench;

import java.util.Locale;

/** What a figure counts. Two figures are divided only when their units are the same ({@link Measurements#ratio}). */
enum Unit {
    ITEMS_PER_SECOND("items/s", "%,.0f"),
    EVENTS_PER_SECOND("events/s", "%,.0f"),
    MILLISECONDS("ms", "%,.0f"),
    MICROSECONDS("us", "%,.0f"),
    MEGABYTES("MB", "%,.0f"),
    BYTES("bytes", "%,.0f"),
    /** Ideal time / actual time. */
    EFFICIENCY("", "%.4f"),
    COUNT("", "%,.1f");

    final String symbol;
    final String pattern;

    Unit(String symbol, String pattern) {
        this.symbol = symbol;
        this.pattern = pattern;
    }

    String format(String pattern, double value) {
        String number = String.format(Locale.ROOT, pattern, value);
        return symbol.isEmpty() ? number : number + " " + symbol;
    }
}
