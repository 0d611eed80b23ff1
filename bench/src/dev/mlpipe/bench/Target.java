package dev.mlpipe.bench;

import java.math.BigDecimal;
import java.util.List;

/** What a figure must reach; a row is met when all its targets are. */
sealed interface Target {

    String text();

    boolean met(Measurements m);

    enum Op {
        AT_LEAST(">="), AT_MOST("<="), BELOW("<");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        boolean holds(double value, double bound) {
            return switch (this) {
                case AT_LEAST -> value >= bound;
                case AT_MOST -> value <= bound;
                case BELOW -> value < bound;
            };
        }
    }

    /** The figure's median against a bound; with {@code everyRun}, every counted value of it. */
    record Bound(Figure figure, Op op, double bound, boolean everyRun) implements Target {

        static Bound of(Figure figure, Op op, double bound) {
            return new Bound(figure, op, bound, false);
        }

        @Override
        public String text() {
            return op.symbol + " " + figure.format(bound) + (everyRun ? " in every run" : "");
        }

        @Override
        public boolean met(Measurements m) {
            List<Double> values = everyRun ? m.counted(figure) : List.of(m.median(figure));
            return !values.isEmpty() && values.stream().allMatch(v -> op.holds(v, bound));
        }
    }

    /** One figure's median over another's, of the same unit. */
    record Ratio(Figure figure, Figure over, Op op, double bound, String overWhat) implements Target {

        public Ratio {
            Measurements.requireLike(figure, over);
        }

        @Override
        public String text() {
            return op.symbol + " " + BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString() + "x " + overWhat;
        }

        @Override
        public boolean met(Measurements m) {
            return op.holds(m.median(figure) / m.median(over), bound);
        }
    }
}
