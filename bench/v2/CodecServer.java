import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.mlpipe.v2.Datatype;
import dev.mlpipe.v2.EncodedBody;
import dev.mlpipe.v2.InferRequest;
import dev.mlpipe.v2.InferResponse;
import dev.mlpipe.v2.ModelMetadata;
import dev.mlpipe.v2.Tensor;
import dev.mlpipe.v2.TensorData;
import dev.mlpipe.v2.V2Codec;
import dev.mlpipe.v2.V2Refused;

/**
 * The v2 codec behind the JDK's own HTTP server, with ONNX Runtime running `digits` one request at a time: not mlpipe
 * (no queue, no batching), a stand-in to try real v2 clients against the codec in both encodings before the server is
 * wired, and to see what the codec allows over HTTP. It prints the Content-Type of each kind of request it is sent.
 * From the repository's root, after {@code ./mvnw compile}:
 *
 * <pre>
 * CP=target/classes:$(./mvnw -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout \
 *     -DincludeArtifactIds=jackson-core,jackson-databind,jackson-annotations,onnxruntime)
 * java -cp "$CP" bench/v2/CodecServer.java PORT [threads, 4]
 * </pre>
 */
public class CodecServer {

    static final ModelMetadata DIGITS = new ModelMetadata("digits", List.of("1"), "onnx_onnxv1",
            List.of(new ModelMetadata.TensorMetadata("input", Datatype.FP32, List.of(-1L, 64L))),
            List.of(new ModelMetadata.TensorMetadata("probabilities", Datatype.FP32, List.of(-1L, 10L))));

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        V2Codec codec = new V2Codec();
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        OrtSession session = environment.createSession("src/main/resources/models/digits.onnx", options);
        Set<String> seen = ConcurrentHashMap.newKeySet();

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.createContext("/v2/models/digits/infer", exchange -> {
            String header = exchange.getRequestHeaders().getFirst(V2Codec.HEADER_LENGTH);
            String kind = "Content-Type " + exchange.getRequestHeaders().getFirst("Content-Type") + ", "
                    + (header == null ? "JSON" : "binary") + ", User-Agent " + exchange.getRequestHeaders().getFirst("User-Agent");
            if (seen.add(kind)) {
                System.out.println("a request with " + kind);
            }
            try {
                InferRequest request = codec.readRequest(exchange.getRequestBody().readAllBytes(), header);
                long rows = DIGITS.rowsOf(request);
                float[] pixels = ((TensorData.Fp32s) request.input("input").data()).values();
                float[] probabilities;
                try (OnnxTensor input = OnnxTensor.createTensor(environment, FloatBuffer.wrap(pixels), new long[] { rows, 64 });
                        OrtSession.Result result = session.run(Map.of("input", input))) {
                    probabilities = ((OnnxTensor) result.get(0)).getFloatBuffer().array();
                }
                InferResponse response = new InferResponse("digits", "1", request.id(), null,
                        List.of(Tensor.fp32("probabilities", new long[] { rows, 10 }, probabilities)));
                EncodedBody body = codec.writeResponse(response, request::wantsBinary);
                if (body.hasBinary()) {
                    exchange.getResponseHeaders().add(V2Codec.HEADER_LENGTH, String.valueOf(body.headerLength()));
                }
                send(exchange, 200, body.contentType(), body.bytes());
            } catch (V2Refused refused) {
                send(exchange, refused.status(), "application/json", codec.writeError(refused.getMessage()));
            } catch (Exception e) {
                send(exchange, 500, "application/json", codec.writeError(String.valueOf(e)));
            }
        });
        server.createContext("/v2/models/digits", exchange -> send(exchange, 200, "application/json",
                codec.writeModelMetadata(DIGITS)));
        server.setExecutor(Executors.newFixedThreadPool(threads));
        server.start();
        System.out.println("listening on 127.0.0.1:" + port);
    }

    static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
