package dev.mlpipe.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The few values the harness reads from the service's JSON, by key: no parser needed for a number or an id. */
final class Json {

    private Json() {
    }

    static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([0-9.eE+-]+)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + key + " in " + json);
        }
        return Double.parseDouble(m.group(1));
    }

    static String text(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + key + " in " + json);
        }
        return m.group(1);
    }

    /** The non-negative integer after {@code "key":} (a result event's field); no regex, as it is read per event. */
    static long digits(String json, String key) {
        String quoted = "\"" + key + "\":";
        int at = json.indexOf(quoted);
        if (at < 0) {
            throw new IllegalStateException("no " + key + " in " + json);
        }
        long value = 0;
        for (int i = at + quoted.length(); i < json.length() && Character.isDigit(json.charAt(i)); i++) {
            value = value * 10 + (json.charAt(i) - '0');
        }
        return value;
    }
}
