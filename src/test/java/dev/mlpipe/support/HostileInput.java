package dev.mlpipe.support;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Inputs a careless or hostile client sends, drawn from a seeded PRNG so that a failure replays with its seed: run specs
 * that are valid, nearly valid (one field of the wrong type, out of range, repeated, unknown), mangled (cut, bytes
 * flipped, odd encodings) or not JSON at all; query values and header values with the same mix.
 */
public final class HostileInput {

    private static final List<String> FIELDS = List.of("seed", "min", "max", "sentinel", "maxItems", "loadIntervalMs",
            "inferenceMs", "overflow", "items");
    private static final List<String> ODD_VALUES = List.of("null", "true", "false", "\"\"", "\"7\"", "1.5", "-0", "1e400",
            "-1e400", "1e-400", "9223372036854775807", "9223372036854775808", "-9223372036854775809", "2147483648",
            "-2147483649", "0", "-1", "60001", "1000001", "[]", "{}", "[null]", "[1,\"2\"]", "{\"a\":1}", "\"block\"",
            "\"BLOCK\"", "\"drop\"", "\"\\u0000\"", "\"\\ud800\"", "\"" + "\u00e9\u4e2d\ud83d\ude00".repeat(50) + "\"", "NaN",
            "Infinity", "0x10", "01", "+1", "1_000", "[1,]", "[,1]", "\"a\" \"b\"");
    private static final String[] PREFIXES = { "", "\ufeff", "\u0000", "\u0000\u0000\u0000", "  \n\t", "[", "{", "]" };

    private HostileInput() {
    }

    /** A run spec body, valid about one time in five (then a small, quick run). */
    public static byte[] specBody(SplittableRandom random) {
        int kind = random.nextInt(20);
        if (kind == 0) {
            return bytes(random, random.nextInt(64));
        }
        if (kind == 1) {
            return nested(random.nextInt(1, 3000)).getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder json = new StringBuilder("{");
        int fields = random.nextInt(0, 5);
        for (int i = 0; i < fields; i++) {
            String field = FIELDS.get(random.nextInt(FIELDS.size()));
            json.append(i == 0 ? "" : ",").append('"').append(random.nextInt(15) == 0 ? field.toUpperCase() : field)
                    .append("\":").append(random.nextInt(3) == 0 ? odd(random) : plausible(field, random));
        }
        if (random.nextInt(6) == 0) {
            json.append(fields == 0 ? "" : ",").append("\"inferenceMs\":").append(random.nextInt(3)); // also a repeat
        }
        json.append('}');
        byte[] body = (PREFIXES[random.nextInt(4) == 0 ? random.nextInt(PREFIXES.length) : 0] + json)
                .getBytes(random.nextInt(25) == 0 ? StandardCharsets.UTF_16 : StandardCharsets.UTF_8);
        return random.nextInt(4) == 0 ? mangle(body, random) : body;
    }

    /** A value for a query parameter, percent-encoded or raw, meant for {@code name=} followed by it. */
    public static String queryValue(SplittableRandom random, List<String> valid) {
        return switch (random.nextInt(6)) {
            case 0, 1 -> valid.get(random.nextInt(valid.size()));
            case 2 -> String.join(",", random.ints(random.nextInt(1, 6), 0, valid.size()).mapToObj(valid::get).toList());
            case 3 -> URLEncoder.encode(text(random, random.nextInt(40)), StandardCharsets.UTF_8);
            case 4 -> List.of("%", "%zz", "%ff%fe", "%00", "%0d%0a", "+", "&", "==", ";", "%c0%af", ",,", "")
                    .get(random.nextInt(12));
            default -> number(random);
        };
    }

    /** A header value as an HTTP/1.1 client could put on the wire: printable ASCII and Latin-1, no line breaks. */
    public static String headerValue(SplittableRandom random) {
        if (random.nextBoolean()) {
            return number(random);
        }
        StringBuilder value = new StringBuilder();
        for (int i = random.nextInt(40); i > 0; i--) {
            value.append((char) (random.nextInt(8) == 0 ? random.nextInt(0xa0, 0x100) : random.nextInt(0x20, 0x7f)));
        }
        return value.toString();
    }

    /** Event ids as a client could send them: small, at the edges of a long, beyond it, signed, with junk. */
    private static String number(SplittableRandom random) {
        return switch (random.nextInt(8)) {
            case 0 -> String.valueOf(random.nextInt(10));
            case 1 -> String.valueOf(random.nextLong());
            case 2 -> "9223372036854775807";
            case 3 -> "9223372036854775808";
            case 4 -> "0".repeat(random.nextInt(1, 40)) + random.nextInt(10);
            case 5 -> "9".repeat(random.nextInt(1, 6000));
            case 6 -> random.nextInt(100) + List.of(".5", "e3", " ", "\t", "x", "-").get(random.nextInt(6));
            default -> "";
        };
    }

    private static String plausible(String field, SplittableRandom random) {
        return switch (field) {
            case "seed" -> String.valueOf(random.nextLong());
            case "overflow" -> List.of("\"block\"", "\"drop\"", "\"fail\"").get(random.nextInt(3));
            case "items" -> random.ints(random.nextInt(0, 6), -3, 100).boxed().toList().toString();
            case "maxItems" -> String.valueOf(random.nextInt(-2, 20));
            case "inferenceMs", "loadIntervalMs" -> String.valueOf(random.nextInt(-1, 3));
            default -> String.valueOf(random.nextInt(-5, 120));
        };
    }

    private static String odd(SplittableRandom random) {
        return random.nextInt(10) == 0 ? nested(random.nextInt(1, 2000)) : ODD_VALUES.get(random.nextInt(ODD_VALUES.size()));
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    /** Cut short, a few bytes changed, or bytes put in. */
    private static byte[] mangle(byte[] body, SplittableRandom random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (random.nextInt(3)) {
            case 0 -> out.write(body, 0, random.nextInt(body.length + 1));
            case 1 -> {
                byte[] copy = body.clone();
                for (int i = random.nextInt(1, 4); i > 0 && copy.length > 0; i--) {
                    copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
                }
                out.writeBytes(copy);
            }
            default -> {
                int at = random.nextInt(body.length + 1);
                out.write(body, 0, at);
                out.writeBytes(bytes(random, random.nextInt(1, 8)));
                out.write(body, at, body.length - at);
            }
        }
        return out.toByteArray();
    }

    private static byte[] bytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    /** Any code points, some of them unpaired surrogates or control characters. */
    private static String text(SplittableRandom random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append((char) (random.nextInt(4) == 0 ? random.nextInt(0x10000) : random.nextInt(0x20, 0x7f)));
        }
        return text.toString();
    }
}
