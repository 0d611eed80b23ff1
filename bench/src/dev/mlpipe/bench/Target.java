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

    /**
     * The figure's median against a bound; with {@code everyRun}, every counted value of it.
     *
     * @param label what the bound is on, where the unit does not say (empty where it does)
     */
    record Bound(Figure figure, Op op, double bound, boolean everyRun, String label) implements Target {

        static Bound of(Figure figure, Op op, double bound) {
            return new Bound(figure, op, bound, false, "");
        }

        Bound inEveryRun() {
            return new Bound(figure, op, bound, true, label);
        }

        Bound labelled(String label) {
            return new Bound(figure, op, bound, everyRun, label);
        }

        @Override
        public String text() {
            return (label.isEmpty() ? "" : label + " ") + op.symbol + " " + figure.format(bound)
                    + (everyRun ? " in every run" : "");
        }

        @Override
        public boolean met(Measurements m) {
            List<Double> values = everyRun ? m.counted(figure) : List.of(m.median(figure));
            return !values.isEmpty() && values.stream().allMatch(v -> op.holds(v, bound));
        }
    }

    /**
     * One figure's median over another's, of the same unit.
     *
     * @param label what the bound is on (empty where the row says)
     * @param overWhat what the other figure is
     */
    record Ratio(Figure figure, Figure over, Op op, double bound, String label, String overWhat) implements Target {

        public Ratio {
            Measurements.requireLike(figure, over);
        }

        @Override
        public String text() {
            return (label.isEmpty() ? "" : label + " ") + op.symbol + " "
                    + BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString() + "x " + overWhat;
        }

        @Override
        public boolean met(Measurements m) {
            return op.holds(m.median(figure) / m.median(over), bound);
        }
    }
}
