package dev.mlpipe.load;

import static dev.mlpipe.support.Api.awaitEnd;
import static dev.mlpipe.support.Api.cancel;
import static dev.mlpipe.support.Api.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.mlpipe.support.Api;
import dev.mlpipe.support.RunSpecs;
import dev.mlpipe.support.SmallSettings;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * An operator's dataset file is held open only while a run reads it: a run that is cancelled, or that stops at its
 * maxItems before the file's end, closes it at once. Otherwise each such run would keep a file descriptor until the
 * garbage collector came by, and enough of them would make the service fail with "too many open files" (and, on some
 * systems, keep the operator from replacing the file).
 */
@QuarkusTest
@TestProfile(SmallSettings.class)
class DatasetFilesTest {

    private static final Path FILE = SmallSettings.DATASETS.resolve("ticking.csv");

    @BeforeAll
    static void anOperatorsDataset() throws IOException {
        Files.createDirectories(SmallSettings.DATASETS);
        List<String> lines = new ArrayList<>();
        StringBuilder header = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            header.append('f').append(i).append(',');
        }
        lines.add(header.append("label").toString());
        for (int row = 0; row < 100; row++) {
            lines.add("3,".repeat(64) + (row % 10));
        }
        Files.write(FILE, lines);
    }

    /** How many descriptors of this process are open on the dataset file (Linux: the links in /proc/self/fd). */
    private static long openOnTheFile() throws IOException {
        Path real = FILE.toRealPath();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException | UnsupportedOperationException gone) {
                    return false; // closed meanwhile, or not a link
                }
            }).count();
        }
    }

    @Test
    void aCancelledDatasetRunLetsGoOfItsFileAtOnce() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "counts open files through /proc (Linux)");
        long before = openOnTheFile();
        String id = start(RunSpecs.spec().model("digits").dataset("ticking", 1000).loadIntervalMs(50).json());
        try {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Api.run(id).getLong("counts.processed") >= 2);
            assertThat(openOnTheFile()).as("the file is read as the run loads").isEqualTo(before + 1);
        } finally {
            cancel(id);
        }
        assertThat(awaitEnd(id).getString("state")).isEqualTo("cancelled");

        await().atMost(Duration.ofSeconds(10)).until(() -> openOnTheFile() == before);
    }

    @Test
    void aRunThatStopsAtItsMaxItemsBeforeTheFilesEndLetsGoOfIt() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "counts open files through /proc (Linux)");
        long before = openOnTheFile();
        String id = start(RunSpecs.spec().model("digits").dataset("ticking", 1000).maxItems(30).json());

        assertThat(awaitEnd(id).getLong("counts.processed")).isEqualTo(30);
        await().atMost(Duration.ofSeconds(10)).until(() -> openOnTheFile() == before);
    }
}
