package dev.mlpipe.api;

import java.time.Duration;
import java.util.Optional;

import dev.mlpipe.stream.Clients;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Checks the name and password of an HTTP Basic request against {@link Accounts}, for Quarkus security: one verified
 * a moment ago is taken from {@link VerifiedCredentials} at once; else a configured password is compared on the event
 * loop (a keyed hash, constant time) and a bcrypt hash on a worker thread. A failure is counted by {@link SignInThrottle},
 * which may hold its answer back a while.
 */
@ApplicationScoped
public class SignIn implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private final Accounts accounts;
    private final VerifiedCredentials verified;
    private final SignInThrottle throttle;
    private final Access access;

    SignIn(Accounts accounts, VerifiedCredentials verified, SignInThrottle throttle, Access access) {
        this.accounts = accounts;
        this.verified = verified;
        this.throttle = throttle;
        this.access = access;
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        String name = request.getUsername();
        String password = new String(request.getPassword().getPassword());
        RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
        String address = http == null ? "unknown" : Clients.address(http);
        if (throttle.refusedFor(address).isPresent()) {
            return refused(); // SignInThrottle's route answers these; one that was on its way already ends here
        }
        Optional<Accounts.Account> known = verified.find(name, password);
        if (known.isPresent()) {
            return Uni.createFrom().item(identity(known.get()));
        }
        Optional<Accounts.Account> account = accounts.find(name);
        Accounts.Secret secret = account.map(Accounts.Account::secret).orElse(accounts.nobody());
        Uni<SecurityIdentity> checked = secret.quick() ? Uni.createFrom().item(check(account, secret, password))
                : context.runBlocking(() -> check(account, secret, password));
        return checked.flatMap(identity -> {
            if (identity != null) {
                return Uni.createFrom().item(identity);
            }
            Duration wait = throttle.failed(address, name);
            return wait.isZero() ? refused()
                    : Uni.createFrom().voidItem().onItem().delayIt().by(wait).flatMap(nothing -> refused());
        });
    }

    /** @return the account's identity, or null when the password is not its (or there is no such account) */
    private SecurityIdentity check(Optional<Accounts.Account> account, Accounts.Secret secret, String password) {
        if (!secret.matches(password) || account.isEmpty()) {
            return null;
        }
        verified.remember(account.get().name(), password, account.get());
        return identity(account.get());
    }

    private SecurityIdentity identity(Accounts.Account account) {
        QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(account.name())).addRoles(account.roles());
        if (access.countsUsers()) {
            identity.addAttribute(Clients.COUNTED_BY_NAME, Boolean.TRUE);
        }
        return identity.build();
    }

    private static Uni<SecurityIdentity> refused() {
        return Uni.createFrom().failure(AuthenticationFailedException::new);
    }
}
