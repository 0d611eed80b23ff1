package dev.mlpipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.mlpipe.support.FuzzFindings;
import dev.mlpipe.support.LowPriority;

/**
 * The path normalisation under Jazzer, with the tricks that route around a rule (escapes, matrix parameters, dot
 * segments, double slashes, case): any path is either refused as naming no one place, or made canonical, and the
 * canonical path is one the rules can read plainly (no {@code ;}, no empty, {@code .} or {@code ..} segment, only
 * unreserved characters and upper-case escapes, never an escaped {@code /} or {@code \}) and its own canonical form.
 * The seeds are in {@code RequestPathFuzzTestInputs/}. Fuzzes only with JAZZER_FUZZ set (the pom sets it for ./mvnw verify),
 * trying {@code -Dmlpipe.fuzz.runs} inputs.
 */
@ExtendWith({ FuzzFindings.class, LowPriority.class })
class RequestPathFuzzTest {

    private static final Pattern PLAIN = Pattern.compile("(/([A-Za-z0-9._~-]|%[0-9A-F]{2})+)+|/");
    private static final AtomicLong INPUTS = new AtomicLong();
    private static final AtomicLong CANONICAL = new AtomicLong();

    @AfterAll
    static void report() {
        System.out.printf("RequestPathFuzzTest: %d inputs, %d of them made canonical and the rest refused%n",
                INPUTS.get(), CANONICAL.get());
        // the seeds include a canonical path: a run where none was means the checks on what is accepted never ran
        assertThat(CANONICAL.get()).as("inputs that were a canonical path").isPositive();
    }

    @FuzzTest(maxDuration = "2h")
    @DictionaryEntries({ "/", "//", ";", ";x=1", ".", "..", "%2e", "%2E", "%2e%2e", "%2F", "%2f", "%5C", "%5c", "%",
            "%00", "%0A", "%3B", "%C3%A9", "%c3%a9", "%FF", "\\", "/api", "/API", "/%61pi", "/runs", "/events",
            "/pipeline", "/v2", "?", "#" })
    void everyPathIsCanonicalOrRefused(byte[] requestLine) {
        INPUTS.incrementAndGet();
        String raw = new String(requestLine, StandardCharsets.ISO_8859_1); // as Vert.x reads a request line's bytes
        String canonical;
        try {
            canonical = RequestPath.canonical(raw);
        } catch (RequestPath.Unusable refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        CANONICAL.incrementAndGet();
        assertThat(canonical).as("from %s", raw).matches(PLAIN);
        assertThat(canonical).doesNotContain("//", "%2F", "%5C").doesNotContainPattern("(^|/)\\.{1,2}(/|$)");
        assertThat(RequestPath.canonical(canonical)).as("canonical of %s", raw).isEqualTo(canonical);
    }
}
