package dev.mlpipe.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.mlpipe.config.MlpipeConfig.ModelSettings;
import dev.mlpipe.model.onnx.ModelInfo;
import dev.mlpipe.model.onnx.OutputReading;
import dev.mlpipe.model.onnx.TensorSpec;
import dev.mlpipe.observe.Clock;
import dev.mlpipe.observe.PipelineActivity;
import dev.mlpipe.observe.PipelineMetrics;
import dev.mlpipe.queue.Failed;
import dev.mlpipe.queue.Item;
import dev.mlpipe.queue.TensorRow;
import dev.mlpipe.v2.Datatype;
import dev.mlpipe.v2.EncodedBody;
import dev.mlpipe.v2.InferRequest;
import dev.mlpipe.v2.InferResponse;
import dev.mlpipe.v2.ModelMetadata;
import dev.mlpipe.v2.Parameters;
import dev.mlpipe.v2.Tensor;
import dev.mlpipe.v2.TensorData;
import dev.mlpipe.v2.V2Codec;
import dev.mlpipe.v2.V2Refused;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * A model that is a remote Open Inference Protocol (v2) server, such as Triton or KServe, or another mlpipe: each batch
 * from the model's queue is one infer request (a {@code [batch, ...]} tensor, binary by default), sent on one Vert.x
 * HTTP client with a bounded pool of kept-alive connections: Vert.x's client because it is the one Quarkus already
 * runs, non-blocking, so a batch in flight holds no thread. A batch the server refuses (a 4xx, or a 500) is sent again
 * row by row, so a bad row fails alone with the server's words; one it does not answer (a connection error, a timeout,
 * a 502, 503 or 504) is sent again after a backoff, {@code retries} times, and then fails. mlpipe records one result
 * an item at most; an answer that was lost may have been run by the server once more.
 */
final class V2Backend implements ModelBackend {

    /** What the server's metadata says the model takes and gives, read once at start. */
    record Remote(ModelInfo info, OutputReading reading) {
    }

    private final String name;
    private final ModelSettings settings;
    private final Vertx vertx;
    private final HttpClient client;
    private final V2Codec codec = new V2Codec();
    private final String modelPath;
    private final PipelineActivity activity;
    private final PipelineMetrics.ModelMeters metrics;
    private final String worker;
    private final AtomicLong batches = new AtomicLong();
    /** Each batch's round trip over its rows: what a run's worst case counts. */
    private final MeanItemTime itemTime = new MeanItemTime();
    private final String authorization;
    private volatile Remote remote;

    V2Backend(String name, ModelSettings settings, Vertx vertx, PipelineActivity activity,
            PipelineMetrics.ModelMeters metrics, String worker) {
        this.name = name;
        this.settings = settings;
        this.vertx = vertx;
        this.activity = activity;
        this.metrics = metrics;
        this.worker = worker;
        URI url = url(settings.url().orElseThrow());
        // credentials in the URL (http://user:password@host) sign each request in, and are never shown
        this.authorization = url.getRawUserInfo() == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                URLDecoder.decode(url.getRawUserInfo(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8));
        String base = (url.getScheme() + "://" + url.getRawAuthority().substring(url.getRawAuthority().indexOf('@') + 1)
                + (url.getRawPath() == null ? "" : url.getRawPath())).replaceAll("/+$", "");
        this.modelPath = base + "/v2/models/" + settings.model().orElse(name)
                + settings.version().map(v -> "/versions/" + v).orElse("");
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(timeoutMs),
                new PoolOptions().setHttp1MaxSize(settings.maxConnections()));
    }

    /** @throws IllegalArgumentException for a URL that is not an http or https one, naming the rule */
    static URI url(String written) {
        try {
            URI url = new URI(written);
            if (("http".equals(url.getScheme()) || "https".equals(url.getScheme())) && url.getHost() != null
                    && url.getQuery() == null && url.getFragment() == null) {
                return url;
            }
        } catch (URISyntaxException notAUrl) {
            // told below
        }
        throw new IllegalArgumentException("it must be an http:// or https:// URL with a host, such as "
                + "http://triton:8000 (no query, no fragment)");
    }

    /** Where the model's metadata is read from, and its requests sent. */
    String location() {
        return modelPath;
    }

    /**
     * Reads the remote model's metadata: what it takes and gives.
     *
     * @return the model as mlpipe feeds it, or a failed future saying why it cannot be
     */
    Future<Remote> connect() {
        return exchange(HttpMethod.GET, modelPath, null).map(answer -> {
            if (answer.status() != 200) {
                throw new IllegalStateException(modelPath + " answered " + answer.status() + ": "
                        + codec.readError(answer.body()));
            }
            Remote read = remote(codec.readModelMetadata(answer.body()));
            remote = read;
            return read;
        });
    }

    private Remote remote(ModelMetadata metadata) {
        ModelMetadata.TensorMetadata input = pick(metadata.inputs(), settings.input(), "input");
        ModelMetadata.TensorMetadata output = pick(metadata.outputs(), settings.output(), "output");
        if (input.datatype() != Datatype.FP32 && input.datatype() != Datatype.INT64) {
            throw new IllegalStateException("input " + input.name() + " is " + input.datatype()
                    + "; mlpipe feeds FP32 and INT64 inputs");
        }
        if (output.datatype() != Datatype.FP32) {
            throw new IllegalStateException("output " + output.name() + " is " + output.datatype()
                    + "; mlpipe reads FP32 outputs");
        }
        boolean batched = !input.shape().isEmpty() && input.shape().get(0) == -1;
        List<Long> row = batched ? input.shape().subList(1, input.shape().size()) : input.shape();
        if (row.stream().anyMatch(d -> d < 0)) {
            throw new IllegalStateException("input " + input.name() + " has the shape " + input.shape()
                    + ": mlpipe feeds rows of a fixed length, an open dimension only first (the batch)");
        }
        int rowLength = (int) row.stream().mapToLong(Long::longValue).reduce(1, Math::multiplyExact);
        ModelInfo info = new ModelInfo(
                new TensorSpec(input.name(), dev.mlpipe.model.onnx.Datatype.valueOf(input.datatype().name()),
                        input.shape()),
                new TensorSpec(output.name(), dev.mlpipe.model.onnx.Datatype.FP32, output.shape()), batched, rowLength);
        return new Remote(info, OutputReading.of(info));
    }

    private ModelMetadata.TensorMetadata pick(List<ModelMetadata.TensorMetadata> tensors, Optional<String> wanted,
            String side) {
        if (tensors.isEmpty()) {
            throw new IllegalStateException("the model has no " + side);
        }
        if (wanted.isEmpty()) {
            return tensors.get(0);
        }
        return tensors.stream().filter(t -> t.name().equals(wanted.get())).findFirst()
                .orElseThrow(() -> new IllegalStateException("the model has no " + side + " named " + wanted.get()
                        + " (mlpipe.models." + name + "." + side + ")"));
    }

    @Override
    public ResultBatch infer(List<Item> batch, long[] dequeuedUs, long startedNanos, Consumer<ResultBatch> later) {
        long batchId = batches.incrementAndGet();
        long takenUs = Clock.usOf(startedNanos);
        metrics.batch(batch.size());
        activity.modelStarted();
        List<Result> results = new ArrayList<>(batch.size());
        List<Failed> failed = new ArrayList<>();
        List<Item> fed = new ArrayList<>(batch.size());
        List<Long> fedDequeuedUs = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            Item item = batch.get(i);
            if (item.tensor() instanceof TensorRow.Values) {
                fed.add(item);
                fedDequeuedUs.add(dequeuedUs == null ? takenUs : dequeuedUs[i]);
            } else {
                String reason = item.tensor() instanceof TensorRow.Unreadable unreadable ? unreadable.reason()
                        : "the item has no row of numbers for this model";
                failed.add(new Failed(item, Clock.nowUs(), reason));
            }
        }
        Batch call = new Batch(fed, fedDequeuedUs, batchId, batch.size(), results, failed);
        long sentNanos = System.nanoTime();
        Future<Void> all = remote.info().batched() ? call.send(0, fed.size(), true) : call.oneByOne(0);
        all.onComplete(done -> {
            if (!fed.isEmpty()) {
                itemTime.add(System.nanoTime() - sentNanos, fed.size());
            }
            activity.modelFinished();
            later.accept(new ResultBatch(results, List.of(), failed));
        });
        return null;
    }

    /** One batch's rows on their way to the server and back. */
    private final class Batch {
        private final List<Item> items;
        private final List<Long> dequeuedUs;
        private final long batchId;
        private final int size;
        private final List<Result> results;
        private final List<Failed> failed;

        Batch(List<Item> items, List<Long> dequeuedUs, long batchId, int size, List<Result> results,
                List<Failed> failed) {
            this.items = items;
            this.dequeuedUs = dequeuedUs;
            this.batchId = batchId;
            this.size = size;
            this.results = results;
            this.failed = failed;
        }

        /** Rows {@code from} to {@code to} as one request; refused, and {@code split}, again one by one. */
        Future<Void> send(int from, int to, boolean split) {
            if (from >= to) {
                return Future.succeededFuture();
            }
            long startedUs = Clock.nowUs();
            EncodedBody request = encode(from, to);
            return attempt(request, 0).compose(answer -> {
                long finishedUs = Clock.nowUs();
                if (answer.status() == 200) {
                    answered(from, to, answer, startedUs, finishedUs);
                    return Future.succeededFuture();
                }
                String error = "the v2 server answered " + answer.status() + ": " + codec.readError(answer.body());
                if (split && to - from > 1) {
                    return oneByOne(from);
                }
                fail(from, to, finishedUs, error);
                return Future.succeededFuture();
            }, unanswered -> {
                fail(from, to, Clock.nowUs(), "the v2 server did not answer after " + (1 + settings.retries())
                        + " tries: " + unanswered.getMessage());
                return Future.succeededFuture();
            });
        }

        /** Each row from {@code from} on as a request of its own, one after another. */
        Future<Void> oneByOne(int from) {
            if (from >= items.size()) {
                return Future.succeededFuture();
            }
            return send(from, from + 1, false).compose(done -> oneByOne(from + 1));
        }

        private void answered(int from, int to, Answer answer, long startedUs, long finishedUs) {
            Tensor output;
            try {
                InferResponse response = codec.readResponse(answer.body(), answer.headerLength());
                output = response.output(remote.info().output().name());
                if (output == null) {
                    throw V2Refused.badRequest("the answer has no output '" + remote.info().output().name() + "'");
                }
                if (!(output.data() instanceof TensorData.Fp32s) || output.data().length() % (to - from) != 0
                        || remote.info().batched() && (output.rank() == 0 || output.dimension(0) != to - from)) {
                    throw V2Refused.badRequest("output '" + output.name() + "' is " + output.datatype() + " "
                            + Arrays.toString(output.shape()) + ", not FP32 rows for " + (to - from)
                            + " inputs");
                }
            } catch (V2Refused unreadable) {
                fail(from, to, finishedUs, "the v2 server's answer is unusable: " + unreadable.getMessage());
                return;
            }
            float[] values = ((TensorData.Fp32s) output.data()).values();
            int width = values.length / (to - from);
            for (int i = from; i < to; i++) {
                Item item = items.get(i);
                TensorRow.Values row = (TensorRow.Values) item.tensor();
                float[] outputs = Arrays.copyOfRange(values, (i - from) * width, (i - from + 1) * width);
                results.add(Result.ofTensor(item, remote.reading().predict(outputs), row.row(), row.label(),
                        row.values(), outputs, dequeuedUs.get(i), startedUs, finishedUs, worker, batchId, size));
            }
        }

        private void fail(int from, int to, long atUs, String reason) {
            for (int i = from; i < to; i++) {
                failed.add(new Failed(items.get(i), atUs, reason));
            }
        }

        private EncodedBody encode(int from, int to) {
            ModelInfo info = remote.info();
            int rows = to - from;
            int length = info.rowLength();
            long[] shape = info.shapeOf(rows, info.rowShape());
            Tensor input;
            if (info.input().datatype() == dev.mlpipe.model.onnx.Datatype.INT64) {
                long[] values = new long[rows * length];
                for (int r = 0; r < rows; r++) {
                    float[] row = ((TensorRow.Values) items.get(from + r).tensor()).values();
                    for (int c = 0; c < length && c < row.length; c++) {
                        values[r * length + c] = (long) row[c];
                    }
                }
                input = Tensor.int64(info.input().name(), shape, values);
            } else {
                float[] values = new float[rows * length];
                for (int r = 0; r < rows; r++) {
                    float[] row = ((TensorRow.Values) items.get(from + r).tensor()).values();
                    System.arraycopy(row, 0, values, r * length, Math.min(length, row.length));
                }
                input = Tensor.fp32(info.input().name(), shape, values);
            }
            String outputName = info.output().name();
            InferRequest request = new InferRequest(null, Parameters.NONE, List.of(input), List.of(settings.binary()
                    ? InferRequest.RequestedOutput.binary(outputName) : new InferRequest.RequestedOutput(outputName)));
            return codec.writeRequest(request, any -> settings.binary());
        }
    }

    /** A request the server did not answer is tried again after a backoff, doubling, at most {@code retries} times. */
    private Future<Answer> attempt(EncodedBody request, int tried) {
        return exchange(HttpMethod.POST, modelPath + "/infer", request).compose(answer -> {
            if (isUnavailable(answer.status()) && tried < settings.retries()) {
                return later(tried).compose(waited -> attempt(request, tried + 1));
            }
            return Future.succeededFuture(answer);
        }, unanswered -> tried < settings.retries()
                ? later(tried).compose(waited -> attempt(request, tried + 1))
                : Future.failedFuture(unanswered));
    }

    private static boolean isUnavailable(int status) {
        return status == 502 || status == 503 || status == 504 || status == 429;
    }

    private Future<Void> later(int tried) {
        long delay = Math.max(1, settings.retryDelay().toMillis() << Math.min(tried, 16));
        Promise<Void> waited = Promise.promise();
        vertx.setTimer(delay, fired -> waited.complete());
        return waited.future();
    }

    /** An HTTP answer: its status, the binary extension's header length (or null), its body. */
    private record Answer(int status, String headerLength, byte[] body) {
    }

    private Future<Answer> exchange(HttpMethod method, String uri, EncodedBody body) {
        RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(uri)
                .setIdleTimeout(settings.timeout().toMillis());
        if (authorization != null) {
            options.putHeader("Authorization", authorization);
        }
        if (body != null) {
            options.putHeader("Content-Type", body.contentType());
            if (body.hasBinary()) {
                options.putHeader(V2Codec.HEADER_LENGTH, Integer.toString(body.headerLength()));
            }
        }
        return client.request(options)
                .compose(request -> body == null ? request.send() : request.send(Buffer.buffer(body.bytes())))
                .compose(response -> response.body().map(bytes -> new Answer(response.statusCode(),
                        response.getHeader(V2Codec.HEADER_LENGTH), bytes.getBytes())));
    }

    @Override
    public double meanItemMs() {
        return itemTime.ms();
    }

    @Override
    public void concurrency(int batches) {
        // batches in flight hold no thread: the pool's connections bound them
    }

    @Override
    public void close() {
        client.close();
    }
}
