package dev.mlpipe.broker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;

import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import io.smallrye.reactive.messaging.annotations.ConnectorAttribute;
import io.smallrye.reactive.messaging.connector.InboundConnector;
import io.smallrye.reactive.messaging.connector.OutboundConnector;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Joins an outgoing channel to an incoming one inside this process: what is sent on {@code items-out} arrives on
 * {@code items-in}. Each link between stages has two channel names because a connector cannot serve one name on both
 * sides; in one process, where nothing is sent on them, this connector stands in for the broker's
 * ({@link BrokerConnector}).
 */
@ApplicationScoped
@Connector(LocalLinkConnector.NAME)
@ConnectorAttribute(name = "link", type = "string", mandatory = true,
        direction = ConnectorAttribute.Direction.INCOMING_AND_OUTGOING,
        description = "The name both ends of a link share")
public class LocalLinkConnector implements InboundConnector, OutboundConnector {

    public static final String NAME = "mlpipe-local";

    private final Map<String, UnicastProcessor<Message<?>>> links = new ConcurrentHashMap<>();

    @Override
    public Flow.Publisher<? extends Message<?>> getPublisher(Config config) {
        return link(config);
    }

    @Override
    public Flow.Subscriber<? extends Message<?>> getSubscriber(Config config) {
        return link(config);
    }

    private UnicastProcessor<Message<?>> link(Config config) {
        return links.computeIfAbsent(config.getValue("link", String.class), name -> UnicastProcessor.create());
    }
}
