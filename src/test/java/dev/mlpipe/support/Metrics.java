package dev.mlpipe.support;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one sample from the Prometheus text at /q/metrics, as a scraper would. */
public final class Metrics {

    private Metrics() {
    }

    /** @param series a metric name with its labels as exposed, e.g. {@code mlpipe_items_total{outcome="processed"}} */
    public static double value(String series) {
        Double value = sample(series);
        if (value == null) {
            throw new AssertionError("no sample " + series + " at /q/metrics");
        }
        return value;
    }

    /** For a labelled counter, which is exposed only once it has counted something. */
    public static double valueOrZero(String series) {
        Double value = sample(series);
        return value == null ? 0 : value;
    }

    private static Double sample(String series) {
        String text = Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " ([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : null;
    }
}
