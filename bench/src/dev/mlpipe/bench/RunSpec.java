package dev.mlpipe.bench;

import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** A run as the harness asks the service for one, written as the JSON body of {@code POST /api/runs}. */
record RunSpec(Values values, int inferenceMs, int loadIntervalMs) {

    /** Where a run's values come from; no sentinel either way, so a run is exactly its items. */
    sealed interface Values {
        int items();

        String json();
    }

    /** Random ints 1..100, the seed design's. */
    record Random(int items) implements Values {
        @Override
        public String json() {
            return "\"min\":1,\"max\":100,\"seed\":1,\"maxItems\":" + items;
        }
    }

    /** Listed values, 1 to 60 in turn. */
    record Listed(int items) implements Values {
        @Override
        public String json() {
            return "\"items\":" + IntStream.rangeClosed(1, items).mapToObj(i -> Integer.toString(i % 60 + 1))
                    .collect(Collectors.joining(",", "[", "]"));
        }
    }

    /**
     * A named tensor model on a dataset, replayed {@code repeat} times ({@code rows} a pass): such a run takes no
     * sentinel and no {@code inferenceMs} (a 400 if given).
     */
    record Dataset(String model, String dataset, int repeat, int rows) implements Values {
        @Override
        public int items() {
            return repeat * rows;
        }

        @Override
        public String json() {
            return "\"model\":\"" + model + "\",\"dataset\":\"" + dataset + "\",\"repeat\":" + repeat;
        }
    }

    static RunSpec dataset(String model, String dataset, int repeat, int rows) {
        return new RunSpec(new Dataset(model, dataset, repeat, rows), 0, 0);
    }

    static RunSpec random(int items) {
        return new RunSpec(new Random(items), 0, 0);
    }

    static RunSpec listed(int items, int inferenceMs) {
        return new RunSpec(new Listed(items), inferenceMs, 0);
    }

    RunSpec loadIntervalMs(int millis) {
        return new RunSpec(values, inferenceMs, millis);
    }

    int items() {
        return values.items();
    }

    String json() {
        if (values instanceof Dataset) {
            return "{" + values.json() + (loadIntervalMs == 0 ? "" : ",\"loadIntervalMs\":" + loadIntervalMs) + "}";
        }
        return "{" + values.json() + ",\"sentinel\":null,\"inferenceMs\":" + inferenceMs
                + (loadIntervalMs == 0 ? "" : ",\"loadIntervalMs\":" + loadIntervalMs) + "}";
    }
}
