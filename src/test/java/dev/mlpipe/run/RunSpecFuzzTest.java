package dev.mlpipe.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mlpipe.load.ValueSource;
import dev.mlpipe.problem.Problem;
import dev.mlpipe.problem.Problems;
import dev.mlpipe.problem.StrictJson;
import dev.mlpipe.support.FuzzFindings;
import dev.mlpipe.support.LowPriority;
import jakarta.validation.Validation;
import jakarta.validation.Validator;

/**
 * The run spec parser under Jazzer, without HTTP: any body is read as {@code POST /api/runs} reads it (Jackson with
 * {@link StrictJson}, Bean Validation, {@link RunRequest#resolve}); it must give a spec within every documented bound, or
 * a 400 problem naming a field, never another answer and never an exception the problem mapping does not know (which
 * would be a 500). The seeds are in {@code RunSpecFuzzTestInputs/}; what it finds is printed (FuzzFindings).
 * Fuzzes only with JAZZER_FUZZ set (the pom sets it for ./mvnw verify), trying {@code -Dmlpipe.fuzz.runs} inputs.
 */
@ExtendWith({ FuzzFindings.class, LowPriority.class })
class RunSpecFuzzTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();
    private static final Duration DAY = Duration.ofHours(24);
    private static final AtomicLong INPUTS = new AtomicLong();
    private static final AtomicLong STARTED = new AtomicLong();

    static {
        new StrictJson().customize(MAPPER);
    }

    @AfterAll
    static void report() {
        System.out.printf("RunSpecFuzzTest: %d inputs, %d of them a run and the rest a 400 naming a field%n",
                INPUTS.get(), STARTED.get());
        // the seeds include a run: a run where none was means the checks on what is accepted never ran
        assertThat(STARTED.get()).as("inputs that were a run").isPositive();
    }

    @FuzzTest(maxDuration = "2h")
    @DictionaryEntries({ "\"seed\"", "\"min\"", "\"max\"", "\"sentinel\"", "\"maxItems\"", "\"loadIntervalMs\"",
            "\"inferenceMs\"", "\"overflow\"", "\"items\"", "\"priority\"", "\"deadlineMs\"", "3600001", "\"block\"",
            "\"drop\"", "\"fail\"", "null", "true", "[",
            "]", "{", "}", ":", ",", "-", "1e308", "9223372036854775808", "2147483648", "60001", "1000001", "\"\\u0000\"" })
    void everyBodyIsARunOrAProblemNamingAField(byte[] body) {
        INPUTS.incrementAndGet();
        Problem problem;
        try {
            RunSpec spec = RunRequest.read(body, MAPPER, VALIDATOR).resolve(100, DAY);
            STARTED.incrementAndGet();
            isWithinTheDocumentedBounds(spec);
            return;
        } catch (Exception refused) {
            problem = Problems.of(refused).problem();
        }
        assertThat(problem.status()).as("%s", problem).isEqualTo(400);
        assertThat(problem.errors()).as("%s", problem).isNotEmpty()
                .allSatisfy(error -> assertThat(error.field()).isNotBlank())
                .allSatisfy(error -> assertThat(error.rule()).isNotBlank());
    }

    private static void isWithinTheDocumentedBounds(RunSpec spec) {
        assertThat(spec.maxItems()).isBetween(1, RunRequest.MAX_ITEMS);
        assertThat(spec.loadIntervalMs()).isBetween(0, RunRequest.MAX_DELAY_MS);
        assertThat(spec.inferenceMs()).isBetween(0, RunRequest.MAX_DELAY_MS);
        assertThat(spec.overflow()).isNotNull();
        assertThat(spec.priority()).isBetween(1, dev.mlpipe.config.Priority.LEVELS);
        assertThat(spec.deadlineMs()).isBetween(0, dev.mlpipe.queue.Item.MAX_DEADLINE_MS);
        assertThat(spec.sentinel()).isPresent();
        if (spec.source() instanceof ValueSource.RandomDraws draws) {
            // a sentinel outside [min, max] is never drawn: maxItems, bounded above, ends the run
            assertThat(draws.min()).isLessThan(draws.max());
        } else if (spec.source() instanceof ValueSource.ListedItems listed) {
            assertThat(listed.count()).isBetween(1, RunRequest.MAX_LISTED_ITEMS);
        }
        long most = spec.source() instanceof ValueSource.ListedItems listed
                ? Math.min(listed.count(), spec.maxItems()) : spec.maxItems();
        assertThat(most * ((long) spec.loadIntervalMs() + spec.inferenceMs())).isLessThanOrEqualTo(DAY.toMillis());
    }
}
