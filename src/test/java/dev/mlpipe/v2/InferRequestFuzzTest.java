package dev.mlpipe.v2;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.mlpipe.config.MlpipeConfig.ModelSettings.Backend;
import dev.mlpipe.config.MlpipeConfig.ModelSettings.WhenFull;
import dev.mlpipe.model.LoadedModel;
import dev.mlpipe.model.onnx.ModelInfo;
import dev.mlpipe.model.onnx.TensorSpec;
import dev.mlpipe.serve.ServedModel;
import dev.mlpipe.support.FuzzFindings;
import dev.mlpipe.support.LowPriority;

/**
 * The v2 body reader under Jazzer: any body, JSON or a JSON header with binary tensors after it, read as the v2
 * server reads a request (and as the client reads a response). It must give a request within every bound of
 * {@link Limits}, which reads back the same after being written binary, or a {@link V2Refused} (400, or 413) with a
 * message; never another exception, and never allocate more than a body of its length can ask for (a shape that
 * promises millions of elements in a few bytes allocates nothing for them).
 * <p>
 * An input that starts with {@code #} gives the {@value V2Codec#HEADER_LENGTH} header up to its first newline (any
 * text: a number, a negative one, beyond the body, not a number), the body after it; any other input is a body without
 * the header. A request is then made rows as the v2 server makes them for the simulated model and for an ONNX model
 * like {@code digits} ({@link ServedModel#rows}): the rows, or a 400 with a message. The seeds are in {@code InferRequestFuzzTestInputs/}. Fuzzes only with JAZZER_FUZZ set (the pom
 * sets it for ./mvnw verify), trying {@code -Dmlpipe.fuzz.runs} inputs.
 */
@ExtendWith({ FuzzFindings.class, LowPriority.class })
class InferRequestFuzzTest {

    private static final V2Codec CODEC = new V2Codec(Limits.DEFAULT);
    /** The v2 server's two kinds of model, as it turns a request into rows of their queues. */
    private static final List<ServedModel> SERVED = List.of(
            ServedModel.of(new LoadedModel("simulated", Backend.SIMULATED, null, null, null, 0, 0, 0, 1,
                    Optional.empty(), null, null), WhenFull.BLOCK),
            ServedModel.of(new LoadedModel("digits", Backend.ONNX, null, null, null, 0, 0, 0, 1,
                    Optional.of(new LoadedModel.Tensor("digits.onnx", new ModelInfo(
                            new TensorSpec("input", dev.mlpipe.model.onnx.Datatype.FP32, List.of(-1L, 64L)),
                            new TensorSpec("output", dev.mlpipe.model.onnx.Datatype.FP32, List.of(-1L, 10L)), true, 64), null)),
                    null, null), WhenFull.BLOCK));
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    /** Jackson's parser and a refusal's exception, whatever the body. */
    private static final long FIXED_ALLOCATION = 1 << 20;
    /** The most a byte of body can become: a parameter's map entry, name and boxed value, a BYTES element's array. */
    private static final long ALLOCATION_PER_BYTE = 64;
    private static final AtomicLong INPUTS = new AtomicLong();
    private static final AtomicLong REQUESTS = new AtomicLong();
    private static final AtomicLong MOST_ALLOCATED = new AtomicLong();

    @AfterAll
    static void report() {
        System.out.printf("InferRequestFuzzTest: %d inputs, %d of them a request and the rest refused; at most %d bytes "
                + "allocated for one%n", INPUTS.get(), REQUESTS.get(), MOST_ALLOCATED.get());
        // the seeds include a request: a run where none was means the checks on what is accepted never ran
        assertThat(REQUESTS.get()).as("inputs that were a request").isPositive();
    }

    @FuzzTest(maxDuration = "2h")
    @DictionaryEntries({ "\"inputs\"", "\"outputs\"", "\"name\"", "\"shape\"", "\"datatype\"", "\"data\"",
            "\"parameters\"", "\"binary_data_size\"", "\"binary_data\"", "\"binary_data_output\"", "\"id\"",
            "\"model_name\"", "\"FP32\"", "\"FP16\"", "\"FP64\"", "\"INT64\"", "\"INT8\"", "\"UINT64\"", "\"UINT32\"",
            "\"BOOL\"", "\"BYTES\"", "NaN", "-Infinity", "\"NaN\"", "1e39", "65520", "18446744073709551616",
            "9223372036854775808", "4294967296", "-1", "0", "null", "true", "[", "]", "{", "}", ":", ",", "#",
            // libFuzzer's dictionary escapes: a newline (where a header length ends), the zeros of UTF-32
            "\\x0A", "\\x00\\x00\\x00" })
    void everyBodyIsARequestOrARefusal(byte[] input) {
        INPUTS.incrementAndGet();
        String headerLength = null;
        byte[] body = input;
        if (input.length > 0 && input[0] == '#') {
            int newline = indexOf(input, (byte) '\n');
            if (newline > 0) {
                headerLength = new String(input, 1, newline - 1, StandardCharsets.ISO_8859_1);
                body = Arrays.copyOfRange(input, newline + 1, input.length);
            }
        }
        InferRequest request = null;
        try {
            request = CODEC.readRequest(body, headerLength);
        } catch (V2Refused refused) {
            assertThat(refused.status()).isIn(400, 413);
            assertThat(refused.getMessage()).isNotBlank();
        }
        // measured on a second reading, once the first has loaded every class its path needs
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            CODEC.readRequest(body, headerLength);
        } catch (V2Refused refused) {
            // as above
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        MOST_ALLOCATED.accumulateAndGet(allocated, Math::max);
        assertThat(allocated).as("bytes allocated reading %d bytes", body.length)
                .isLessThanOrEqualTo(FIXED_ALLOCATION + ALLOCATION_PER_BYTE * body.length);
        if (request != null) {
            REQUESTS.incrementAndGet();
            isWithinTheLimits(request);
            for (ServedModel served : SERVED) {
                try {
                    assertThat(served.rows(request, "0123456789ab", 3, 1_000, 0)).isNotEmpty();
                } catch (V2Refused refused) {
                    assertThat(refused.status()).isEqualTo(400);
                    assertThat(refused.getMessage()).isNotBlank();
                }
            }
            EncodedBody binary = CODEC.writeRequest(request, name -> true);
            assertThat(CODEC.readRequest(binary.bytes(), String.valueOf(binary.headerLength()))).isEqualTo(request);
        }
        try {
            CODEC.readResponse(body, headerLength);
        } catch (V2Refused refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    private static void isWithinTheLimits(InferRequest request) {
        assertThat(request.inputs()).hasSizeLessThanOrEqualTo(Limits.DEFAULT.maxTensors());
        assertThat(request.outputs()).hasSizeLessThanOrEqualTo(Limits.DEFAULT.maxTensors());
        long elements = 0;
        for (Tensor input : request.inputs()) {
            assertThat(input.rank()).isLessThanOrEqualTo(Limits.DEFAULT.maxDepth());
            assertThat(input.parameters().values()).doesNotContainKey("binary_data_size");
            elements += input.data().length();
        }
        assertThat(elements).isLessThanOrEqualTo(Limits.DEFAULT.maxElements());
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
