package dev.mlpipe.stream;

import java.util.function.Consumer;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

/**
 * A request's body as a Vert.x route reads it, up to a limit: Quarkus' body handler serves its own REST resources
 * only, and a route that must answer before the body is whole (or in another form than a problem) reads it itself.
 */
public final class RequestBody {

    private RequestBody() {
    }

    /**
     * Reads the body, then gives it to {@code then}; or, once it grows past {@code limit} bytes, calls
     * {@code tooLarge} instead, once, and keeps nothing more of it.
     */
    public static void read(RoutingContext ctx, long limit, Consumer<Buffer> then, Runnable tooLarge) {
        Buffer body = Buffer.buffer();
        boolean[] over = new boolean[1];
        ctx.request().handler(chunk -> {
            if (!over[0] && body.length() + chunk.length() > limit) {
                over[0] = true;
                tooLarge.run();
            } else if (!over[0]) {
                body.appendBuffer(chunk);
            }
        });
        ctx.request().endHandler(end -> {
            if (!over[0]) {
                then.accept(body);
            }
        });
        ctx.request().resume();
    }
}
