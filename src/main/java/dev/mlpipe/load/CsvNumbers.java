package dev.mlpipe.load;

/**
 * Reads a decimal number from part of a CSV line without making a string of it: a dataset feeds a run 100,000s of
 * rows a second, tens of cells each. Plain decimals of up to 15 significant digits and 22 decimal places are computed
 * exactly ({@code digits / 10^places}, both exact in a double, one correctly rounded division: the value
 * {@link Double#parseDouble} gives); anything longer, or with an exponent, is checked here and handed to it.
 */
final class CsvNumbers {

    private static final double[] POWERS_OF_TEN = new double[23];

    static {
        double power = 1;
        for (int i = 0; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = power;
            power *= 10;
        }
    }

    private CsvNumbers() {
    }

    /**
     * The number in {@code line[from, to)}, spaces around it ignored: an optional sign, digits with an optional decimal
     * point, an optional exponent ({@code e} or {@code E}, an optional sign, digits). NaN when the cell is not such a
     * number (so never for one that is).
     */
    static double parse(String line, int from, int to) {
        while (from < to && line.charAt(from) == ' ') {
            from++;
        }
        while (to > from && line.charAt(to - 1) == ' ') {
            to--;
        }
        int i = from;
        boolean negative = false;
        if (i < to && (line.charAt(i) == '-' || line.charAt(i) == '+')) {
            negative = line.charAt(i) == '-';
            i++;
        }
        long digits = 0;
        int significant = 0;
        int places = 0;
        boolean anyDigit = false;
        boolean point = false;
        boolean exact = true;
        for (; i < to; i++) {
            char c = line.charAt(i);
            if (c >= '0' && c <= '9') {
                anyDigit = true;
                if (significant < 15) {
                    digits = digits * 10 + (c - '0');
                    if (digits != 0) {
                        significant++;
                    }
                    if (point) {
                        places++;
                    }
                } else {
                    exact = false;
                }
            } else if (c == '.' && !point) {
                point = true;
            } else if ((c == 'e' || c == 'E') && anyDigit && isExponent(line, i + 1, to)) {
                exact = false;
                break;
            } else {
                return Double.NaN;
            }
        }
        if (!anyDigit) {
            return Double.NaN;
        }
        if (!exact || places >= POWERS_OF_TEN.length) {
            return Double.parseDouble(line.substring(from, to));
        }
        double value = digits / POWERS_OF_TEN[places];
        return negative ? -value : value;
    }

    private static boolean isExponent(String line, int from, int to) {
        if (from < to && (line.charAt(from) == '-' || line.charAt(from) == '+')) {
            from++;
        }
        if (from == to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (line.charAt(i) < '0' || line.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
