package dev.mlpipe.api;

import java.time.Duration;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.observe.LogText;
import dev.mlpipe.problem.Problem;
import dev.mlpipe.problem.RouteProblems;
import dev.mlpipe.stream.Clients;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Failed sign-ins by address: the first few are answered at once, the next ones more slowly, and after
 * {@code mlpipe.auth.sign-in-failures} of them within {@code mlpipe.auth.sign-in-lockout} the address is refused for
 * that long: a request from it that carries credentials is answered 429 before any password is checked, a right one
 * too (else the refusal would tell a right guess from a wrong one). Each lockout is one WARN, with the count.
 */
@Singleton
public class SignInThrottle {

    private static final Logger LOG = Logger.getLogger(SignInThrottle.class);
    /** Failures answered at once; each one after waits {@link #STEP} more, up to {@link #MOST}. */
    static final int FREE = 3;
    static final Duration STEP = Duration.ofMillis(250);
    static final Duration MOST = Duration.ofSeconds(2);

    /** One address's failures; guarded by itself. */
    private static final class Failures {
        long windowEnds;
        int count;
        long lockedUntil;
    }

    private final int allowed;
    private final Duration lockout;
    private final Cache<String, Failures> byAddress;
    private final RouteProblems problems;

    @Inject
    SignInThrottle(MlpipeConfig config, RouteProblems problems) {
        this(config.auth().signInFailures(), config.auth().signInLockout(), problems);
    }

    SignInThrottle(int allowed, Duration lockout, RouteProblems problems) {
        this.allowed = allowed;
        this.lockout = lockout;
        this.byAddress = Caffeine.newBuilder().expireAfterAccess(lockout.multipliedBy(2)).maximumSize(100_000).build();
        this.problems = problems;
    }

    /** Before authentication: a request with credentials from a refused address is answered here, unchecked. */
    void register(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            Optional<Duration> refused = ctx.request().getHeader("Authorization") == null ? Optional.empty()
                    : refusedFor(Clients.address(ctx));
            if (refused.isPresent()) {
                long seconds = Math.max(1, (refused.get().toMillis() + 999) / 1000);
                ctx.response().putHeader("Retry-After", Long.toString(seconds));
                problems.send(ctx, Problem.of(429, "Too Many Requests", "too many failed sign-ins from this address "
                        + "(mlpipe.auth.sign-in-failures within mlpipe.auth.sign-in-lockout): try again in " + seconds
                        + " s"));
            } else {
                ctx.next();
            }
        });
    }

    /** How much longer the address is refused, if it is. */
    Optional<Duration> refusedFor(String address) {
        Failures failures = byAddress.getIfPresent(address);
        if (failures == null) {
            return Optional.empty();
        }
        synchronized (failures) {
            long left = failures.lockedUntil - System.nanoTime();
            return failures.count >= allowed && left > 0 ? Optional.of(Duration.ofNanos(left)) : Optional.empty();
        }
    }

    /** A failed sign-in from {@code address} as {@code user}: @return how long to wait before answering it */
    Duration failed(String address, String user) {
        Failures failures = byAddress.get(address, a -> new Failures());
        long now = System.nanoTime();
        int count;
        synchronized (failures) {
            if (failures.count == 0 || now - failures.windowEnds > 0 && now - failures.lockedUntil > 0) {
                failures.count = 0; // the first failure, or the burst before is over
                failures.windowEnds = now + lockout.toNanos();
                failures.lockedUntil = now;
            }
            count = ++failures.count;
            if (count == allowed) {
                failures.lockedUntil = now + lockout.toNanos();
            }
        }
        if (count == allowed) {
            LOG.warnf("%d failed sign-ins from address %s, the last as %s: it is refused for %d s "
                    + "(mlpipe.auth.sign-in-failures, mlpipe.auth.sign-in-lockout)", count, address,
                    LogText.of(user, 64), lockout.toSeconds());
        }
        return count <= FREE ? Duration.ZERO : min(STEP.multipliedBy(count - FREE), MOST);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
