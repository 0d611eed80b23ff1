package dev.mlpipe.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class CsvNumbersTest {

    private static double parse(String cell) {
        String line = "x," + cell + ",y";
        return CsvNumbers.parse(line, 2, 2 + cell.length());
    }

    @Test
    void readsWhatParseDoubleReadsForEveryPlainDecimalAndExponent() {
        SplittableRandom random = new SplittableRandom(26);
        for (int i = 0; i < 200_000; i++) {
            String cell = switch (i % 5) {
                case 0 -> Integer.toString(random.nextInt(-1_000_000, 1_000_000));
                case 1 -> Float.toString((float) random.nextDouble(-100, 100));
                case 2 -> Double.toString(random.nextDouble(-1e6, 1e6));
                case 3 -> String.format("%.6f", random.nextDouble(-1, 1));
                default -> String.format("%.4e", random.nextDouble(-1e30, 1e30));
            };
            assertThat(parse(cell)).as(cell).isEqualTo(Double.parseDouble(cell));
        }
    }

    @Test
    void readsEdgeCasesAsParseDoubleDoes() {
        for (String cell : List.of("0", "-0", "+7", "007", "1.", ".5", "0.000000000000000000000000001",
                "123456789012345678901234567890", "9007199254740993", "0.1", "3.141592653589793238", "1e5", "1E-5",
                "-2.5e+3", " 42 ", "16")) {
            assertThat(parse(cell)).as(cell).isEqualTo(Double.parseDouble(cell));
        }
    }

    @Test
    void refusesWhatIsNotANumber() {
        for (String cell : List.of("", " ", "-", ".", "1.2.3", "1e", "e5", "1e5.0", "abc", "1,5", "NaN", "Infinity",
                "0x10", "1f", "1d", "4 2")) {
            assertThat(parse(cell)).as("'%s'", cell).isNaN();
        }
    }
}
