import java.io.BufferedReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import triton.client.InferInput;
import triton.client.InferRequestedOutput;
import triton.client.InferResult;
import triton.client.InferenceServerClient;
import triton.client.pojo.DataType;

/**
 * A real v2 client against a v2 server serving `digits`: the Triton Java HTTP client (Alibaba's, from Triton's client
 * repository, published on Maven Central as org.wyona.triton.client:java-api:0.0.1, a jar that bundles its own Jackson,
 * Guava and Apache HttpAsyncClient), sending rows of the digits dataset one at a time, in JSON or binary, and checking
 * each answer against the golden file. From the repository's root:
 *
 * <pre>
 * ./mvnw -q dependency:get -Dartifact=org.wyona.triton.client:java-api:0.0.1
 * java -cp ~/.m2/repository/org/wyona/triton/client/java-api/0.0.1/java-api-0.0.1.jar \
 *     bench/v2/TritonClientCheck.java 127.0.0.1:PORT json|binary [rows, 10]
 * </pre>
 */
public class TritonClientCheck {

    public static void main(String[] args) throws Exception {
        String hostPort = args[0];
        boolean binary = args.length > 1 && args[1].equals("binary");
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        List<String> dataset = Files.readAllLines(Path.of("src/main/resources/datasets/digits.csv"));
        List<String> golden = Files.readAllLines(Path.of("src/test/resources/golden/digits.csv"));
        double worst = 0;
        try (InferenceServerClient client = new InferenceServerClient(hostPort, 5000, 5000)) {
            for (int row = 0; row < rows; row++) {
                String[] pixels = dataset.get(row + 1).split(",");
                float[] input = new float[64];
                for (int i = 0; i < 64; i++) {
                    input[i] = Float.parseFloat(pixels[i]);
                }
                InferInput tensor = new InferInput("input", new long[] { 1, 64 }, DataType.FP32);
                tensor.setData(input, binary);
                InferResult result = client.infer("digits", List.of(tensor),
                        List.of(new InferRequestedOutput("probabilities", binary)));
                float[] probabilities = result.getOutputAsFloat("probabilities");
                String[] expected = golden.get(row + 1).split(",");
                int prediction = 0;
                for (int k = 0; k < 10; k++) {
                    prediction = probabilities[k] > probabilities[prediction] ? k : prediction;
                    double want = Double.parseDouble(expected[k + 1]);
                    worst = Math.max(worst, Math.abs(probabilities[k] - want) / Math.max(Math.abs(want), 1e-12));
                }
                if (prediction != Integer.parseInt(expected[11])) {
                    throw new AssertionError("row " + row + ": predicted " + prediction + ", the golden file says " + expected[11]);
                }
            }
        }
        if (worst > 1e-4) {
            throw new AssertionError("the probabilities differ from the golden file by up to " + worst + " (relative)");
        }
        System.out.printf("Triton Java client, %s: %d rows, every prediction as the golden file's, probabilities within "
                + "%.1e (relative)%n", binary ? "binary tensors" : "JSON", rows, worst);
    }
}
