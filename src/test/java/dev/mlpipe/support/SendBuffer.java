package dev.mlpipe.support;

import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * For tests of slow clients: fixes the server's socket send buffer ({@code test.http.send-buffer-size}), which Linux
 * otherwise grows to 4 MB per connection, so that a client that stops reading is noticed within hundreds of events,
 * not thousands. Does nothing unless a test profile sets it.
 */
@ApplicationScoped
public class SendBuffer implements HttpServerOptionsCustomizer {

    private final Optional<Integer> bytes;

    SendBuffer(@ConfigProperty(name = "test.http.send-buffer-size") Optional<Integer> bytes) {
        this.bytes = bytes;
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        bytes.ifPresent(options::setSendBufferSize);
    }
}
