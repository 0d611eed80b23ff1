package dev.mlpipe.observe;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops one warning Quarkus causes at every start: it registers its untagged HTTP connection gauges
 * ({@code vertx.http.connections.*}, {@code http.server.active.connections}) for each HTTP server it starts, the
 * public port's and the management interface's, and Micrometer keeps the first and refuses the next with a WARN an
 * operator can do nothing about (the kept gauge counts one server's connections: Quarkus' limitation, not a fault of
 * this start). Any other message passes (application.properties, {@code quarkus.log.console.filter}).
 */
@LoggingFilter(name = ConnectionGaugeFilter.NAME)
public final class ConnectionGaugeFilter implements Filter {

    static final String NAME = "connection-gauge";
    private static final String LOGGER = "io.micrometer.core.instrument.MeterRegistry";

    @Override
    public boolean isLoggable(LogRecord record) {
        if (!LOGGER.equals(record.getLoggerName())) {
            return true;
        }
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        return message == null || !(message.contains("MeterId{name='vertx.http.connections.")
                || message.contains("MeterId{name='http.server.active.connections'"));
    }
}
