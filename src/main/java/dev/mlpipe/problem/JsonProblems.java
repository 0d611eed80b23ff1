package dev.mlpipe.problem;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * A body Jackson could not read, as the field and the rule a client can act on. Three rules are recognized by
 * Jackson's own words (a repeated key, trailing tokens, a string where a number goes), which {@code JsonProblemsTest}
 * pins, so that a Jackson upgrade that changes them fails a test rather than a user's request.
 */
final class JsonProblems {

    static final Pattern DUPLICATE = Pattern.compile("Duplicate field '([^']*)'");
    static final String TRAILING = "Trailing token";
    static final Pattern STRING_COERCION = Pattern.compile("Cannot coerce (empty )?String");
    /** Jackson's pointer into the source, which says nothing here: the body is not echoed back. */
    private static final Pattern SOURCE = Pattern.compile("\\s*\\(?(start marker at )?\\[Source:.*", Pattern.DOTALL);

    private JsonProblems() {
    }

    static Problem of(JsonProcessingException e) {
        return Problem.invalid(field(e), rule(e));
    }

    private static String field(JsonProcessingException e) {
        Matcher duplicate = DUPLICATE.matcher(String.valueOf(e.getOriginalMessage()));
        if (duplicate.lookingAt()) {
            return visible(duplicate.group(1));
        }
        if (!(e instanceof JsonMappingException mapping) || mapping.getPath().isEmpty()) {
            return "body";
        }
        StringBuilder field = new StringBuilder();
        for (JsonMappingException.Reference ref : mapping.getPath()) {
            if (ref.getFieldName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(visible(ref.getFieldName()));
            } else if (ref.getIndex() >= 0) {
                field.append('[').append(ref.getIndex()).append(']');
            }
        }
        return field.isEmpty() ? "body" : field.toString();
    }

    /** A field name as a client can see it: one that is empty or all spaces is shown quoted, as JSON writes it. */
    private static String visible(String name) {
        return name.isBlank() ? '"' + name + '"' : name;
    }

    private static String rule(JsonProcessingException e) {
        String original = String.valueOf(e.getOriginalMessage());
        if (DUPLICATE.matcher(original).lookingAt()) {
            return "appears more than once";
        }
        if (original.startsWith(TRAILING)) {
            return "must hold exactly one JSON value; more follows it";
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            Collection<Object> known = unknown.getKnownPropertyIds();
            return "is not a known field" + (known == null ? "" : "; known fields: "
                    + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        }
        InputCoercionException outOfRange = e instanceof InputCoercionException coercion ? coercion
                : e.getCause() instanceof InputCoercionException coercion ? coercion : null;
        if (outOfRange != null) {
            return "is out of range: " + expected(outOfRange.getTargetType());
        }
        if (e instanceof MismatchedInputException quoted && STRING_COERCION.matcher(original).lookingAt()
                && isNumber(quoted.getTargetType())) {
            // StrictJson refuses "5" for a number: the quotes are what is wrong, not the range
            return "must be a number, not a string (" + expected(quoted.getTargetType()).substring("must be ".length())
                    + ")";
        }
        if (e instanceof InvalidFormatException invalid) {
            return expected(invalid.getTargetType());
        }
        if (e instanceof MismatchedInputException mismatched) {
            return expected(mismatched.getTargetType());
        }
        if (e instanceof StreamConstraintsException || e.getCause() instanceof StreamConstraintsException) {
            return "exceeds the JSON limits (nesting depth, number or string length)";
        }
        if (e instanceof JsonMappingException) {
            return "cannot be read: " + original;
        }
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return "is not valid JSON" + where + ": " + SOURCE.matcher(original).replaceAll("");
    }

    private static boolean isNumber(Class<?> type) {
        return type != null && (Number.class.isAssignableFrom(type)
                || type.isPrimitive() && type != boolean.class && type != char.class && type != void.class);
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "has the wrong type";
        }
        if (type == Integer.class || type == int.class) {
            return "must be an integer from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
        }
        if (type == Long.class || type == long.class) {
            return "must be an integer from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE;
        }
        if (type.isEnum()) {
            return "must be one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "must be an array";
        }
        if (type == Object.class || type.isRecord()) {
            return "must be a JSON object";
        }
        return "must be a " + type.getSimpleName();
    }
}
