package dev.mlpipe.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipe.model.Result;
import dev.mlpipe.queue.Failed;
import dev.mlpipe.queue.Item;
import dev.mlpipe.run.History;
import dev.mlpipe.run.HistoryBudget;

/** A run's kept results as files: a row per kept result, a failed item's in its place and saying so. */
class ResultExportTest {

    private static final String RUN = "3f2a9c1e0b7d";
    private static final String REASON = "row 2: \"f1\" is 'x',\nnot a number";

    private static History history() {
        History history = new History(RUN, 100, new HistoryBudget(1 << 20), String::valueOf, new AtomicInteger());
        history.append(new Result(RUN, 1, 5, "low", 0.25, 1, 1_000, 1_500, 2_000, 2_000, 3_000, "=w1", 1, 1));
        history.append(new Failed(Item.loaded(RUN, 2, 9, 0, 1_000).enqueued(1_500, 3), 4_000, REASON));
        history.append(new Result(RUN, 3, 80, "high", 0.8455, 0, 1_000, 1_000, 1_000, 1_000, 1_250, "w,2", 2, 1));
        history.publish();
        return history;
    }

    private static String export(History history, ResultExport.Format format) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ResultExport.write(history, format, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theCsvHasARowPerKeptResultAndAFailedItemsRowSaysWhy() throws Exception {
        List<String> lines = export(history(), ResultExport.Format.CSV).lines().toList();

        assertThat(lines.get(0)).isEqualTo(String.join(",", ResultExport.columns(false)));
        assertThat(lines.get(1)).isEqualTo(RUN + ",1,5,low,0.25,1,1000,1500,2000,2000,3000,'=w1,1,1,0.5,0.5,0,1,2,"
                + "result,");
        assertThat(lines.get(2)).as("no prediction, worker or batch; its reason quoted, its line break kept")
                .isEqualTo(RUN + ",2,9,,,3,1000,1500,4000,,,,,,0.5,2.5,,,3,failed,\"row 2: \"\"f1\"\" is 'x',");
        assertThat(lines.get(3)).isEqualTo("not a number\"");
        assertThat(lines.get(4)).contains(",\"w,2\",");
        assertThat(lines).hasSize(5);
    }

    @Test
    void jsonLinesAreEachTheDataOfTheEventTheStreamWrites() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = export(history(), ResultExport.Format.JSONL).lines().map(line -> {
            try {
                return json.readTree(line);
            } catch (Exception e) {
                throw new AssertionError(line, e);
            }
        }).toList();

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).get("seq").asInt()).isEqualTo(1);
        assertThat(lines.get(0).get("worker").asText()).isEqualTo("=w1");
        assertThat(lines.get(1).get("failedUs").asLong()).isEqualTo(4_000);
        assertThat(lines.get(1).get("reason").asText()).isEqualTo(REASON);
        assertThat(lines.get(2).get("score").asDouble()).isEqualTo(0.8455);
    }

    @Test
    void aRunWithoutKeptResultsIsTheHeaderAloneOrNothing() throws Exception {
        History empty = new History(RUN, 100, new HistoryBudget(1 << 20), String::valueOf, new AtomicInteger());
        assertThat(export(empty, ResultExport.Format.CSV))
                .isEqualTo(String.join(",", ResultExport.columns(false)) + "\n");
        assertThat(export(empty, ResultExport.Format.JSONL)).isEmpty();
    }
}
