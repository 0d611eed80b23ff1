package dev.mlpipe.support;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.path.json.JsonPath;

/**
 * A {@link JsonPath} that parses its text once and answers a plain path of names and indices ({@code
 * "counts.processed"}, {@code "steps[0].runs[1]"}, {@code "[0].id"}) by walking the parsed maps and lists. JsonPath
 * parses the text again and compiles a Groovy expression on every get: about 10 ms of CPU each on two busy cores, so a
 * test reading three fields of a thousand results spent half a minute in it. The answers are the same objects
 * (JsonPath's own parser and number types); any other path (a spread over a list, GPath) or a step that finds nothing
 * goes to JsonPath itself.
 */
public final class ParsedJson extends JsonPath {

    private static final String INDEX = "\\[[0-9]+\\]";
    private static final String STEP = "[A-Za-z_][A-Za-z0-9_]*(" + INDEX + ")*";
    private static final Pattern PLAIN = Pattern.compile("(" + STEP + "|(" + INDEX + ")+)(\\." + STEP + ")*");
    private static final Pattern PART = Pattern.compile("[^.\\[\\]]+|\\[([0-9]+)\\]");

    private final Object root;

    public ParsedJson(String text) {
        super(text);
        root = super.get("");
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(String path) {
        if (path == null || !PLAIN.matcher(path).matches()) {
            return super.get(path);
        }
        Object at = root;
        Matcher part = PART.matcher(path);
        while (part.find()) {
            if (part.group(1) != null) {
                int index = Integer.parseInt(part.group(1));
                if (!(at instanceof List<?> list) || index >= list.size()) {
                    return super.get(path);
                }
                at = list.get(index);
            } else {
                if (!(at instanceof Map<?, ?> map) || !map.containsKey(part.group())) {
                    return super.get(path); // a missing field or a name on a list (a spread): JsonPath's own answer
                }
                at = map.get(part.group());
            }
        }
        return (T) at;
    }
}
