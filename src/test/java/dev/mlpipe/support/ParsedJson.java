package dev.mlpipe.support;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import io.restassured.path.json.JsonPath;

/**
 * A {@link JsonPath} that parses its text once and answers a plain path of names and indices ({@code
 * "counts.processed"}, {@code "steps[0].runs[1]"}, {@code "[0].id"}) by walking the parsed maps and lists. JsonPath
 * parses the text again and compiles a Groovy expression on every get: about 10 ms of CPU each on two busy cores, so a
 * test reading three fields of a thousand results spent half a minute in it. The answers are the same objects
 * (the maps, lists and number types of JsonPath's parser); any other path (a spread over a list, GPath) or a step that
 * finds nothing goes to JsonPath itself. The text is parsed with Jackson: JsonPath's own parser (Groovy's lexer, which
 * unescapes each string through a Writer) was 15% of the CPU of the unit-test JVM whose tests read sweeps and streams.
 */
public final class ParsedJson extends JsonPath {

    private static final String INDEX = "\\[[0-9]+\\]";
    private static final String STEP = "[A-Za-z_][A-Za-z0-9_]*(" + INDEX + ")*";
    private static final Pattern PLAIN = Pattern.compile("(" + STEP + "|(" + INDEX + ")+)(\\." + STEP + ")*");
    private static final Pattern PART = Pattern.compile("[^.\\[\\]]+|\\[([0-9]+)\\]");

    private static final JsonFactory JSON = new JsonFactory();
    /**
     * JsonPath's parser gives a decimal number as a Float up to this magnitude (beyond it, as a Double or an infinite
     * Float, by rules of its own; no answer of the service comes near it).
     */
    private static final BigDecimal FLOAT_MAX = new BigDecimal(Float.MAX_VALUE);

    private final Object root;

    public ParsedJson(String text) {
        super(text);
        Object parsed;
        try (JsonParser parser = JSON.createParser(text)) {
            parser.nextToken();
            parsed = value(parser);
        } catch (IOException | IllegalArgumentException notJson) {
            parsed = super.get(""); // JsonPath's own answer, or its own exception
        }
        root = parsed;
    }

    /** The value at the parser's current token, of the type JsonPath's parser gives it. */
    private static Object value(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == null) {
            throw new IllegalArgumentException("no JSON value");
        }
        switch (token) {
            case START_OBJECT:
                Map<String, Object> object = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.put(name, value(parser));
                }
                return object;
            case START_ARRAY:
                List<Object> array = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser));
                }
                return array;
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return switch (parser.getNumberType()) {
                    case INT -> parser.getIntValue();
                    case LONG -> parser.getLongValue();
                    default -> parser.getBigIntegerValue();
                };
            case VALUE_NUMBER_FLOAT:
                BigDecimal number = parser.getDecimalValue();
                return number.abs().compareTo(FLOAT_MAX) <= 0 ? (Object) number.floatValue()
                        : (Object) number.doubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new IllegalArgumentException("unexpected " + token);
        }
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
