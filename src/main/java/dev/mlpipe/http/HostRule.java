package dev.mlpipe.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.mlpipe.api.Access;
import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.problem.Problem;
import dev.mlpipe.problem.RouteProblems;
import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The host names a request may name in {@code Host}, on both ports: those of {@code mlpipe.http.allowed-hosts} when it
 * is set; else, while the service is open without a password, loopback names and the address it listens on. A page
 * of another site whose name the attacker points at 127.0.0.1 (DNS rebinding) is same-origin with the service as far
 * as the browser knows, so the cross-origin check cannot stop it; the name it sends can. An IP literal cannot be
 * rebound, so a service listening on every interface answers to any.
 */
@Singleton
public class HostRule {

    static final String SETTING = "mlpipe.http.allowed-hosts (MLPIPE_HTTP_ALLOWED_HOSTS)";

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Optional<List<String>> configured;
    private final Access access;
    private final RouteProblems problems;
    private final String listening;
    private volatile Predicate<String> allowed;

    HostRule(MlpipeConfig config, Access access, RouteProblems problems,
            @ConfigProperty(name = "quarkus.http.host") String listening) {
        this.configured = config.http().allowedHosts();
        this.access = access;
        this.problems = problems;
        this.listening = listening;
    }

    void register(@Observes @Priority(2) Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    /** Probes name the address they reach, not a listed name: health, which tells nothing worth stealing, is left out. */
    void registerManagement(@Observes ManagementInterface management) {
        management.router().route().order(Integer.MIN_VALUE).handler(rc -> {
            String path = rc.normalizedPath();
            if (path.equals("/q/health") || path.startsWith("/q/health/")) {
                rc.next();
            } else {
                check(rc);
            }
        });
    }

    private void check(RoutingContext rc) {
        if (allowed == null) {
            allowed = allowed(configured, access.mode(), listening); // decided by Access before the ports open
        }
        HostAndPort authority = rc.request().authority();
        if (authority == null || allowed.test(name(authority.host()))) {
            rc.next();
            return;
        }
        String host = authority.host().length() > 64 ? authority.host().substring(0, 64) + "..." : authority.host();
        problems.send(rc, Problem.of(421, "Misdirected Request", configured.isPresent()
                ? "this service does not answer to the host name " + host + ": it is not in " + SETTING
                : "this service is open without a password, so it answers only to its own names (localhost, "
                        + "127.0.0.1, [::1], the address it listens on), not to " + host + ": list the names it is "
                        + "reached by in " + SETTING + ", or set MLPIPE_AUTH_OPERATOR_PASSWORD"));
    }

    /** Which host names (as {@link #name} gives them) requests may name. */
    static Predicate<String> allowed(Optional<List<String>> configured, Access.Mode mode, String listening) {
        if (configured.isPresent()) {
            Set<String> names = configured.get().stream().map(HostRule::name).collect(Collectors.toUnmodifiableSet());
            return names::contains;
        }
        if (mode == Access.Mode.PROTECTED) {
            return host -> true;
        }
        String own = name(listening);
        boolean everyInterface = own.equals("0.0.0.0") || own.equals("::");
        String machine = everyInterface ? machineName() : own;
        return host -> isLoopback(host) || host.equals(own) || host.equals(machine)
                || everyInterface && isIpLiteral(host);
    }

    /** Lower case, without IPv6 brackets or a trailing dot, as names compare. */
    static String name(String host) {
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static boolean isLoopback(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        return isIpLiteral(host) && literal(host).isLoopbackAddress();
    }

    private static boolean isIpLiteral(String host) {
        return IPV4.matcher(host).matches() && Arrays.stream(host.split("\\.")).allMatch(o -> Integer.parseInt(o) <= 255)
                || host.contains(":") && literal(host) != null;
    }

    /**
     * The address an IP literal names; null if it is none. Only literals reach here (a dotted quad of octets, or text
     * with a colon), which the JDK parses without asking DNS.
     */
    private static InetAddress literal(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String machineName() {
        try {
            return name(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
