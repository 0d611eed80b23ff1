package dev.mlpipe.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A request path in the one form every route rule sees (the content-type guard, authorization, the limits, the routes
 * themselves), so that no spelling of a path reaches a route while a rule meant for it looks elsewhere: matrix
 * parameters dropped ({@code /api;x/runs}), escapes decoded once and written again only where needed, upper case
 * ({@code /%61pi} is {@code /api}, {@code %c3%a9} is {@code %C3%A9}), dot segments resolved ({@code /x/../api},
 * {@code /%2e%2e/}), empty segments dropped ({@code //api//runs/}). Letters keep their case: the routes match case
 * as written, so {@code /API/runs} reaches none. A path that names no one place is refused: an encoded {@code /} or
 * {@code \}, a control character, an escape that is not one or not UTF-8, {@code ..} above the root.
 */
final class RequestPath {

    /** Why a path cannot be made canonical; said to the client as a 400 naming {@code path}. */
    static final class Unusable extends RuntimeException {
        Unusable(String rule) {
            super(rule, null, false, false);
        }
    }

    private RequestPath() {
    }

    /** @throws Unusable when the path names no one place */
    static String canonical(String raw) {
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '/') {
            throw new Unusable("must begin with /");
        }
        Deque<String> segments = new ArrayDeque<>();
        int from = 1;
        while (from <= raw.length()) {
            int to = raw.indexOf('/', from);
            if (to < 0) {
                to = raw.length();
            }
            String segment = raw.substring(from, to);
            int matrix = segment.indexOf(';');
            String decoded = decode(matrix < 0 ? segment : segment.substring(0, matrix));
            if (decoded.equals("..")) {
                if (segments.pollLast() == null) {
                    throw new Unusable("must not go above the root with ..");
                }
            } else if (!decoded.isEmpty() && !decoded.equals(".")) {
                segments.addLast(decoded);
            }
            from = to + 1;
        }
        StringBuilder path = new StringBuilder(raw.length());
        for (String segment : segments) {
            path.append('/');
            encode(segment, path);
        }
        return path.length() == 0 ? "/" : path.toString();
    }

    /** Raw characters are the request line's bytes (Latin-1 to Vert.x); with the escapes they must make UTF-8. */
    private static String decode(String segment) {
        if (segment.chars().allMatch(c -> c != '%' && c < 0x80)) {
            checkCharacters(segment);
            return segment;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c != '%') {
                if (c > 0xff) {
                    throw new Unusable("must be UTF-8 once its escapes are decoded");
                }
                bytes.write(c);
                continue;
            }
            int high = i + 2 < segment.length() ? hex(segment.charAt(i + 1)) : -1;
            int low = high >= 0 ? hex(segment.charAt(i + 2)) : -1;
            if (low < 0) {
                throw new Unusable("must have two hexadecimal digits after each %");
            }
            int value = high * 16 + low;
            if (value == '/' || value == '\\') {
                throw new Unusable("must not hide a / or \\ in an escape (%2F, %5C)");
            }
            bytes.write(value);
            i += 2;
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Unusable("must be UTF-8 once its escapes are decoded");
        }
        checkCharacters(decoded);
        return decoded;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char lower = (char) (c | 0x20);
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1; // ASCII only: Character.digit takes others
    }

    private static void checkCharacters(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (Character.isISOControl(c)) {
                throw new Unusable("must not hold a control character");
            }
            if (c == '\\') {
                throw new Unusable("must not hold a \\");
            }
        }
    }

    /** Unreserved characters as they are, everything else escaped in UTF-8, upper case. */
    private static void encode(String segment, StringBuilder out) {
        for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
                    || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
    }
}
