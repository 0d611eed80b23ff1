package dev.mlpipe.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipe.model.Result;
import dev.mlpipe.queue.Failed;
import dev.mlpipe.queue.Item;
import dev.mlpipe.run.History;
import dev.mlpipe.run.HistoryBudget;
import dev.mlpipe.run.ResultRow;

class SseWriterTest {

    private static final ObjectMapper JACKSON = new ObjectMapper();

    /** A result as an encoder reads it, straight from the record. */
    record Row(Result r) implements ResultRow {
        public String runId() {
            return r.runId();
        }

        public long seq() {
            return r.seq();
        }

        public int value() {
            return r.value();
        }

        public boolean high() {
            return r.prediction().equals("high");
        }

        public boolean expired() {
            return false;
        }

        public boolean failed() {
            return false;
        }

        public String failureReason() {
            return null;
        }

        public int scoreTenThousandths() {
            return (int) Math.round(r.score() * 10_000);
        }

        public int queueDepth() {
            return r.queueDepth();
        }

        public long loadedUs() {
            return r.loadedUs();
        }

        public long enqueuedUs() {
            return r.enqueuedUs();
        }

        public long dequeuedUs() {
            return r.dequeuedUs();
        }

        public long startedUs() {
            return r.startedUs();
        }

        public long finishedUs() {
            return r.finishedUs();
        }

        public String worker() {
            return r.worker();
        }

        public long batchId() {
            return r.batchId();
        }

        public int batchSize() {
            return r.batchSize();
        }
    }

    private static String written(ResultFields fields, Result result) {
        SseWriter writer = new SseWriter(fields);
        writer.result(new Row(result));
        return writer.take().toString(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> data(String event) throws Exception {
        String data = event.lines().filter(l -> l.startsWith("data: ")).findFirst().orElseThrow().substring(6);
        return JACKSON.readValue(data, new TypeReference<LinkedHashMap<String, Object>>() {
        });
    }

    private static Map<String, Object> jackson(Result result) throws Exception {
        return JACKSON.readValue(JACKSON.writeValueAsString(result), new TypeReference<LinkedHashMap<String, Object>>() {
        });
    }

    @Test
    void aResultEventIsWhatJacksonWritesForTheRecordWithItsSeqAsId() throws Exception {
        Result result = new Result("3f2a9c1e0b7d", 241, 44, "low", 0.3543, 7, 1795735570275200L, 1795735570275257L,
                1795735570277599L, 1795735570277599L, 1795735570283901L, "gpu-box-1-4242", 90210, 8);

        String event = written(ResultFields.EVERY, result);

        assertThat(event).startsWith("id: 241\nevent: result\ndata: {").endsWith("}\n\n");
        assertThat(data(event)).as("the values Jackson writes (its order of the derived fields varies from run to run)")
                .isEqualTo(jackson(result));
        assertThat(data(event).keySet()).as("in the order the README lists them").containsExactlyElementsOf(ResultFields.ALL);
    }

    /** Random results, negative durations (clocks of two machines) and extremes included. */
    @Test
    void anyResultIsWrittenWithTheValuesJacksonWouldWrite() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 2_000; i++) {
            long loaded = random.nextLong(1L << 52);
            int score = random.nextInt(10_001);
            Result result = new Result("0123456789ab", 1 + random.nextLong(Integer.MAX_VALUE), random.nextInt(),
                    score >= 5_000 ? "high" : "low", score / 10_000.0, random.nextInt(100_001), loaded,
                    loaded + random.nextLong(-5_000_000, 5_000_000), loaded + random.nextLong(100_000_000),
                    loaded + random.nextLong(100_000_000), loaded + random.nextLong(-1_000, 100_000_000), "w" + i,
                    1 + random.nextLong(1L << 40), 1 + random.nextInt(4096));

            assertThat(data(written(ResultFields.EVERY, result))).as("%s", result).isEqualTo(jackson(result));
        }
    }

    @Test
    void onlyTheFieldsAskedForAreWrittenInTheirUsualOrder() throws Exception {
        Result result = new Result("3f2a9c1e0b7d", 9, 70, "high", 0.8808, 1, 1, 2, 3, 4, 5, "w", 3, 2);

        Map<String, Object> data = data(written(ResultFields.parse("score,seq, value"), result));

        assertThat(data).containsExactly(Map.entry("seq", 9), Map.entry("value", 70), Map.entry("score", 0.8808));
    }

    @Test
    void aWorkerNameIsEscapedSoItReadsBackTheSame() throws Exception {
        String name = "gpu \"1\" \\ caf\u00e9 \u2603\n";
        Result result = new Result("3f2a9c1e0b7d", 1, 1, "low", 0.0, 1, 1, 1, 1, 1, 1, name, 1, 1);

        String event = written(ResultFields.parse("worker"), result);

        assertThat(event).as("ASCII on the wire").matches("[\\x00-\\x7f]*");
        assertThat(data(event)).containsEntry("worker", name);
    }

    @Test
    void clientsOfOneRunThatAskForEveryFieldShareTheBytesOfEachEvent() {
        Result result = new Result("3f2a9c1e0b7d", 7, 44, "low", 0.3543, 1, 1, 2, 3, 4, 5, "w", 3, 2);
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        Row counted = new Row(result);
        ResultRow counting = new ResultRow() {
            public String runId() {
                reads.incrementAndGet();
                return counted.runId();
            }

            public long seq() {
                return counted.seq();
            }

            public int value() {
                return counted.value();
            }

            public boolean high() {
                return counted.high();
            }

            public boolean expired() {
                return false;
            }

            public boolean failed() {
                return false;
            }

            public String failureReason() {
                return null;
            }

            public int scoreTenThousandths() {
                return counted.scoreTenThousandths();
            }

            public int queueDepth() {
                return counted.queueDepth();
            }

            public long loadedUs() {
                return counted.loadedUs();
            }

            public long enqueuedUs() {
                return counted.enqueuedUs();
            }

            public long dequeuedUs() {
                return counted.dequeuedUs();
            }

            public long startedUs() {
                return counted.startedUs();
            }

            public long finishedUs() {
                return counted.finishedUs();
            }

            public String worker() {
                return counted.worker();
            }

            public long batchId() {
                return counted.batchId();
            }

            public int batchSize() {
                return counted.batchSize();
            }
        };
        SharedResults shared = new SharedResults();
        shared.join();
        shared.join();
        SseWriter first = new SseWriter(ResultFields.EVERY, shared);
        SseWriter second = new SseWriter(ResultFields.EVERY, shared);

        first.result(counting);
        second.result(counting);

        assertThat(reads).as("the event was written once").hasValue(1);
        assertThat(second.take().toString(StandardCharsets.UTF_8)).isEqualTo(first.take().toString(StandardCharsets.UTF_8))
                .startsWith("id: 7\nevent: result\n");
    }

    @Test
    void aFieldListNamesOnlyFieldsOfAResult() {
        assertThatThrownBy(() -> ResultFields.parse("seq,valu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"valu\"").hasMessageContaining("known fields: runId, seq");
        assertThatThrownBy(() -> ResultFields.parse("")).hasMessageContaining("none empty");
        assertThatThrownBy(() -> ResultFields.parse("seq,,value")).hasMessageContaining("none empty");
        assertThat(ResultFields.parse("seq,seq").toString()).isEqualTo("[seq]");
    }

    @Test
    void aFailedItemIsAnEventOfItsOwnInItsPlaceWithItsReasonWhateverFieldsWereAsked() throws Exception {
        String id = "3f2a9c1e0b7d";
        History history = new History(id, 100, new HistoryBudget(1 << 20), String::valueOf,
                new java.util.concurrent.atomic.AtomicInteger());
        Item item = Item.loaded(id, 2, 9, 0, 1_000).enqueued(1_500, 3);
        String reason = "row 2: \"f1\" is 'caf\u00e9',\nnot a number";
        history.append(new Result(id, 1, 1, "low", 0.0, 1, 1, 1, 1, 1, 1, "w", 1, 1));
        history.append(new Failed(item, 4_000, reason));
        history.append(new Result(id, 3, 1, "low", 0.0, 1, 1, 1, 1, 1, 1, "w", 2, 1));
        history.publish();
        SseWriter writer = new SseWriter(ResultFields.parse("seq"));
        history.reader(History.Mode.LOSSLESS, 0, () -> {
        }).open().read(new History.Events() {
            public void result(ResultRow row) {
                writer.result(row);
            }

            public void gap(String json) {
            }

            public void end(long id, String json) {
            }

            public void stats(String json) {
            }
        }, 10);

        String[] events = writer.take().toString(StandardCharsets.UTF_8).split("\n\n");
        assertThat(events).hasSize(3);
        assertThat(events[0]).startsWith("id: 1\nevent: result\n");
        assertThat(events[1]).startsWith("id: 2\nevent: failed\n").matches("[\\x00-\\x7f]*");
        assertThat(data(events[1] + "\n")).containsEntry("runId", id).containsEntry("seq", 2).containsEntry("value", 9)
                .containsEntry("queueDepth", 3).containsEntry("loadedUs", 1_000).containsEntry("enqueuedUs", 1_500)
                .containsEntry("failedUs", 4_000).containsEntry("loaderWaitMs", 0.5).containsEntry("totalMs", 3.0)
                .containsEntry("reason", reason);
        assertThat(events[2]).startsWith("id: 3\nevent: result\n");
    }
}
