package dev.mlpipe.observe;

/**
 * Text from outside (a broker message, a path, a user name) as it may go into a log line: every control character,
 * line break and line separator written as an escape, so that it cannot forge a line of its own or colour a terminal,
 * and cut, so that it cannot flood the log.
 */
public final class LogText {

    /** Enough of a message to recognise it by. */
    public static final int DEFAULT_MAX = 120;

    private LogText() {
    }

    public static String of(Object untrusted) {
        return of(untrusted, DEFAULT_MAX);
    }

    /** @param max the most characters of {@code untrusted} kept; the rest is said as a count */
    public static String of(Object untrusted, int max) {
        String text = String.valueOf(untrusted);
        int kept = Math.min(text.length(), max);
        if (kept > 0 && kept < text.length() && Character.isHighSurrogate(text.charAt(kept - 1))) {
            kept--; // never half a character
        }
        StringBuilder out = new StringBuilder(kept + 16);
        for (int i = 0; i < kept; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || Character.getType(c) == Character.FORMAT
                            || Character.isSurrogate(c) && !wholeSurrogatePair(text, i, kept)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (kept < text.length()) {
            out.append("...(").append(text.length() - kept).append(" more characters)");
        }
        return out.toString();
    }

    private static boolean wholeSurrogatePair(String text, int i, int end) {
        char c = text.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
    }
}
