package dev.mlpipe.bench;

/**
 * One quantity a scenario measures, under the one name it has in the report's "every measurement" list. Each is a
 * constant of the scenario that measures it; rows, targets and ratios refer to the constant, never to its name.
 *
 * @param pattern how a value is written, without the unit
 */
record Figure(String name, Unit unit, String pattern) {

    Figure(String name, Unit unit) {
        this(name, unit, unit.pattern);
    }

    String format(double value) {
        return unit.format(pattern, value);
    }

    String number(double value) {
        return String.format(java.util.Locale.ROOT, pattern, value);
    }
}
