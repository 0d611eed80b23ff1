package dev.mlpipe.support;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.mlpipe.v2.EncodedBody;
import dev.mlpipe.v2.InferRequest;
import dev.mlpipe.v2.InferResponse;
import dev.mlpipe.v2.Parameters;
import dev.mlpipe.v2.Tensor;
import dev.mlpipe.v2.TensorData;
import dev.mlpipe.v2.V2Codec;
import dev.mlpipe.v2.V2Refused;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * A v2 server whose answers a test scripts, for the v2 backend's faults: model {@code adder} takes {@code x} (FP32
 * [-1, 4]) and gives {@code y} (FP32 [-1, 2]): each row's sum and its first number. A row holding 666 makes the server
 * refuse the request (400). The next infer requests can be told to behave otherwise ({@link #next}); it counts the
 * requests and the rows of each. Configures {@code remote} (binary tensors), {@code remote-json} (JSON) and
 * {@code absent} (a server that does not listen).
 */
public class ScriptedV2Server implements QuarkusTestResourceLifecycleManager {

    /** How the server answers an infer request. */
    public enum Behaviour {
        NORMAL,
        /** 503 with Retry-After. */
        UNAVAILABLE,
        /** The status line and half the body, then the connection closes. */
        DROP,
        /** 200 with a body that is not JSON. */
        MALFORMED,
        /** 200 with one row fewer than asked. */
        WRONG_SHAPE,
        /** Never answers: the client's timeout (2 s) ends the exchange. */
        SLOW
    }

    private static final ConcurrentLinkedQueue<Behaviour> SCRIPT = new ConcurrentLinkedQueue<>();
    /** Rows of each infer request received, in order. */
    public static final List<Integer> REQUESTS = new CopyOnWriteArrayList<>();
    private static final V2Codec CODEC = new V2Codec();
    private static final String METADATA = """
            {"name":"adder","versions":["1"],"platform":"scripted",\
            "inputs":[{"name":"x","datatype":"FP32","shape":[-1,4]}],\
            "outputs":[{"name":"y","datatype":"FP32","shape":[-1,2]}]}""";

    private Vertx vertx;

    /** The next infer requests behave so, one each, in order; then normally again. */
    public static void next(Behaviour... behaviours) {
        SCRIPT.clear();
        SCRIPT.addAll(List.of(behaviours));
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(ScriptedV2Server::handle);
        int port;
        try {
            port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
                    .actualPort();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String url = "http://127.0.0.1:" + port;
        return Map.ofEntries(
                Map.entry("mlpipe.models.remote.backend", "v2"),
                Map.entry("mlpipe.models.remote.url", url),
                Map.entry("mlpipe.models.remote.model", "adder"),
                Map.entry("mlpipe.models.remote.max-batch-size", "4"),
                Map.entry("mlpipe.models.remote.batch-delay", "30s"),
                // long enough for a first request in a cold JVM on a busy host, which at 500 ms was sometimes asked again
                Map.entry("mlpipe.models.remote.timeout", "2s"),
                Map.entry("mlpipe.models.remote.retries", "2"),
                Map.entry("mlpipe.models.remote.retry-delay", "20ms"),
                Map.entry("mlpipe.models.remote-json.backend", "v2"),
                Map.entry("mlpipe.models.remote-json.url", url),
                Map.entry("mlpipe.models.remote-json.model", "adder"),
                Map.entry("mlpipe.models.remote-json.binary", "false"),
                Map.entry("mlpipe.models.absent.backend", "v2"),
                Map.entry("mlpipe.models.absent.url", "http://127.0.0.1:1"));
    }

    private static void handle(HttpServerRequest request) {
        if (request.method().name().equals("GET") && request.path().equals("/v2/models/adder")) {
            request.response().putHeader("Content-Type", "application/json").end(METADATA);
            return;
        }
        if (!request.path().equals("/v2/models/adder/infer")) {
            request.response().setStatusCode(404).end("{\"error\":\"no such endpoint\"}");
            return;
        }
        request.body().onSuccess(body -> {
            Behaviour behaviour = SCRIPT.poll();
            answer(request, body, behaviour == null ? Behaviour.NORMAL : behaviour);
        });
    }

    private static void answer(HttpServerRequest request, Buffer body, Behaviour behaviour) {
        InferRequest infer;
        try {
            infer = CODEC.readRequest(body.getBytes(), request.getHeader(V2Codec.HEADER_LENGTH));
        } catch (V2Refused refused) {
            request.response().setStatusCode(400).end(Buffer.buffer(CODEC.writeError(refused.getMessage())));
            return;
        }
        Tensor x = infer.input("x");
        int rows = (int) x.dimension(0);
        REQUESTS.add(rows);
        float[] in = ((TensorData.Fp32s) x.data()).values();
        for (float value : in) {
            if (value == 666) {
                request.response().setStatusCode(400).end(Buffer.buffer(CODEC.writeError("a row holds 666")));
                return;
            }
        }
        int answered = behaviour == Behaviour.WRONG_SHAPE ? rows - 1 : rows;
        float[] y = new float[answered * 2];
        for (int r = 0; r < answered; r++) {
            float sum = 0;
            for (int c = 0; c < 4; c++) {
                sum += in[r * 4 + c];
            }
            y[r * 2] = sum;
            y[r * 2 + 1] = in[r * 4];
        }
        EncodedBody encoded = CODEC.writeResponse(new InferResponse("adder", "1", infer.id(), Parameters.NONE,
                List.of(Tensor.fp32("y", new long[] { answered, 2 }, y))), infer::wantsBinary);
        switch (behaviour) {
            case UNAVAILABLE -> request.response().setStatusCode(503).putHeader("Retry-After", "1")
                    .end(Buffer.buffer(CODEC.writeError("busy")));
            case MALFORMED -> request.response().putHeader("Content-Type", "application/json").end("{\"outputs\": [");
            case DROP -> {
                request.response().putHeader("Content-Length", Integer.toString(encoded.bytes().length))
                        .write(Buffer.buffer(encoded.bytes()).slice(0, encoded.bytes().length / 2));
                request.connection().close();
            }
            case SLOW -> {
                // no answer: the client's timeout ends the exchange
            }
            default -> {
                if (encoded.hasBinary()) {
                    request.response().putHeader(V2Codec.HEADER_LENGTH, Integer.toString(encoded.headerLength()));
                }
                request.response().putHeader("Content-Type", encoded.contentType()).end(Buffer.buffer(encoded.bytes()));
            }
        }
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }
}
