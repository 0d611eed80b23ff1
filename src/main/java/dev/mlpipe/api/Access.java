package dev.mlpipe.api;

import java.net.InetAddress;
import java.net.UnknownHostException;

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
 * streams; an {@code operator} also starts and cancels runs. The accounts ({@link Accounts}) sign in by HTTP Basic
 * ({@link SignIn}), which a browser remembers for the page's own requests, its event streams included.
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
                    + "MLPIPE_AUTH_VIEWER_PASSWORD for read-only users) or name accounts in MLPIPE_AUTH_USERS_FILE, "
                    + "listen on 127.0.0.1 only, or set MLPIPE_AUTH_ENABLED=false to leave it open to anyone who "
                    + "reaches the port");
        }
    }

    /**
     * A viewer password without an operator one (and no users file): nobody could start a run, or the operator's
     * password would be a default. Most likely a mistake, so the start stops and says so.
     */
    static final class ViewerWithoutOperator extends ConfigurationException {
        ViewerWithoutOperator() {
            super("MLPIPE_AUTH_VIEWER_PASSWORD is set but MLPIPE_AUTH_OPERATOR_PASSWORD is not: set the operator's "
                    + "password too (or name operators in MLPIPE_AUTH_USERS_FILE), or neither");
        }
    }

    /** What the service is, and whether its limits count signed-in users by name; decided at start, protected until then. */
    private volatile Mode mode = Mode.PROTECTED;

    /** What {@link #configure} decided: who may do what, for the rules outside this class (hosts, connections). */
    public Mode mode() {
        return mode;
    }

    /** @param anyAccount whether some account can sign in: a password set, or a users file */
    static Mode decide(boolean enabled, boolean anyAccount, String host) {
        if (!enabled) {
            return Mode.OPEN;
        }
        if (anyAccount) {
            return Mode.PROTECTED;
        }
        if (isLoopback(host)) {
            return Mode.OPEN_TO_LOOPBACK;
        }
        throw new OpenToTheNetwork(host);
    }

    /**
     * Whether the limits count a signed-in request by its user: only where signing in is asked for. In the open modes
     * every request is its address, whatever account it names (a password it sends is still checked).
     */
    public boolean countsUsers() {
        return mode == Mode.PROTECTED;
    }

    void configure(@Observes HttpSecurity http, MlpipeConfig config, Accounts accounts,
            @ConfigProperty(name = "quarkus.http.host") String host) {
        MlpipeConfig.Auth auth = config.auth();
        if (auth.enabled() && auth.viewerPassword().isPresent() && auth.usersFile().isEmpty()
                && auth.operatorPassword().filter(password -> !password.isBlank()).isEmpty()) {
            throw new ViewerWithoutOperator();
        }
        mode = decide(auth.enabled(), accounts.any(), host);
        switch (mode) {
            case PROTECTED -> http
                    .path("/api/*").methods("POST", "PUT", "PATCH", "DELETE").roles(OPERATOR)
                    .path("/api/*").methods("GET", "HEAD", "OPTIONS").roles(VIEWER)
                    .path("/v2", "/v2/*").methods("POST", "PUT", "PATCH", "DELETE").roles(OPERATOR) // infer
                    .path("/v2", "/v2/*").methods("GET", "HEAD", "OPTIONS").roles(VIEWER) // metadata, health
                    .path("/*").roles(VIEWER);
            case OPEN -> {
                if (LaunchMode.current().isDevOrTest()) {
                    LOG.infof("Open: no credentials asked in %s mode", LaunchMode.current().getDefaultProfile());
                } else {
                    LOG.warnf("Open: mlpipe.auth.enabled=false, so anyone who reaches %s can start, cancel and read "
                            + "runs", host);
                }
            }
            case OPEN_TO_LOOPBACK -> LOG.warnf("Open to this machine only: listening on %s with no account "
                    + "(mlpipe.auth.operator-password, mlpipe.auth.users-file) set, so any program or user on it can "
                    + "start, cancel and read runs", host);
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
