package dev.mlpipe.bench;

import java.util.List;

/**
 * card: the shape the service was specified with, in plain Mutiny ({@link Card}), against scenario 1 of the same
 * run: both items/s by the client's clock, both under scenario 1's warm-up rule, in a JVM with the same options.
 */
final class CardConstruct implements Scenario {

    static final Figure CARD = new Figure("card.itemsPerSecond", Unit.ITEMS_PER_SECOND);

    @Override
    public String id() {
        return "card";
    }

    @Override
    public String group() {
        return "card";
    }

    @Override
    public List<Figure> figures() {
        return List.of(CARD);
    }

    @Override
    public List<Figure> reads() {
        return List.of(InProcessThroughput.MLPIPE);
    }

    @Override
    public void measure(Harness h, Measurements m) throws Exception {
        try (ChildJvm card = h.card()) {
            WarmUp.JIT.apply(card.side(CARD, "card", h.options().items()), m);
        }
    }

    @Override
    public List<Row> rows(Measurements m) {
        return List.of(new Row(id(), "the design card's construct without mlpipe: Mutiny, random items emitted into "
                + "`onOverflow().buffer(" + Card.BUFFER + ")` while it has room, `emitOn` a processor thread, `map` to "
                + "the toy model (scenario 1's items, warm-up and JVM options)", List.of(), "scenario 1: "
                + m.show(InProcessThroughput.MLPIPE), "the construct: " + m.show(CARD),
                m.ratio(InProcessThroughput.MLPIPE, CARD)));
    }
}
