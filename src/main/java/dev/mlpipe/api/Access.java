package dev.mlpipe.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.mlpipe.config.MlpipeConfig;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.vertx.http.security.HttpSecurity;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Who may do what, decided once at start and handed to Quarkus security: a {@code viewer} reads the page, runs and their
 * streams; an {@code operator} also starts and cancels runs. The accounts are Quarkus embedded users checked by HTTP
 * Basic (application.properties), which a browser remembers for the page's own requests, its event streams included.
 */
@Singleton
public class Access {

    public static final String VIEWER = "viewer";
    public static final String OPERATOR = "operator";

    private static final Logger LOG = Logger.getLogger(Access.class);

    /** What the settings ask for. */
    public enum Mode {
        /** Credentials are required. */
        PROTECTED,
        /** {@code mlpipe.auth.enabled=false}: anyone who reaches the port may do anything. */
        OPEN,
        /** No credentials set, but only this machine can reach the port. */
        OPEN_TO_LOOPBACK
    }

    /**
     * The service must not start: it would be open to the network without anyone having asked for that. A
     * configuration exception, which Quarkus prints as its message alone, without a stack trace.
     */
    static final class OpenToTheNetwork extends ConfigurationException {
        OpenToTheNetwork(String host) {
            super("mlpipe listens on " + host + " without credentials: set MLPIPE_AUTH_OPERATOR_PASSWORD (and "
                    + "MLPIPE_AUTH_VIEWER_PASSWORD for read-only users), listen on 127.0.0.1 only, or set "
                    + "MLPIPE_AUTH_ENABLED=false to leave it open to anyone who reaches the port");
        }
    }

    /** A viewer password without an operator one: the service would be open, or its operator's password a default. */
    static final class ViewerWithoutOperator extends ConfigurationException {
        ViewerWithoutOperator() {
            super("MLPIPE_AUTH_VIEWER_PASSWORD is set but MLPIPE_AUTH_OPERATOR_PASSWORD is not: set the operator's "
                    + "password too, or neither");
        }
    }

    /** Decided at start, where Quarkus asks for the security rules; protected until then. */
    private volatile Mode mode = Mode.PROTECTED;

    /** What {@link #configure} decided: who may do what, for the rules outside this class (hosts, connections). */
    public Mode mode() {
        return mode;
    }

    static Mode decide(boolean enabled, Optional<String> operatorPassword, String host) {
        if (!enabled) {
            return Mode.OPEN;
        }
        if (operatorPassword.filter(password -> !password.isBlank()).isPresent()) {
            return Mode.PROTECTED;
        }
        if (isLoopback(host)) {
            return Mode.OPEN_TO_LOOPBACK;
        }
        throw new OpenToTheNetwork(host);
    }

    void configure(@Observes HttpSecurity http, MlpipeConfig config,
            @ConfigProperty(name = "quarkus.http.host") String host) {
        MlpipeConfig.Auth auth = config.auth();
        if (auth.enabled() && auth.viewerPassword().isPresent()
                && auth.operatorPassword().filter(password -> !password.isBlank()).isEmpty()) {
            throw new ViewerWithoutOperator();
        }
        mode = decide(auth.enabled(), auth.operatorPassword(), host);
        switch (mode) {
            case PROTECTED -> http
                    .path("/api/*").methods("POST", "PUT", "PATCH", "DELETE").roles(OPERATOR)
                    .path("/api/*").methods("GET", "HEAD", "OPTIONS").roles(VIEWER)
                    .path("/*").roles(VIEWER);
            case OPEN -> {
                if (LaunchMode.current().isDevOrTest()) {
                    LOG.infof("Open: no credentials asked in %s mode", LaunchMode.current().getDefaultProfile());
                } else {
                    LOG.warnf("Open: mlpipe.auth.enabled=false, so anyone who reaches %s can start, cancel and read "
                            + "runs", host);
                }
            }
            case OPEN_TO_LOOPBACK -> LOG.warnf("Open to this machine only: listening on %s with no "
                    + "mlpipe.auth.operator-password set, so any program or user on it can start, cancel and read runs",
                    host);
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
