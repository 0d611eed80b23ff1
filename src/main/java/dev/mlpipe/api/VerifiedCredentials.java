package dev.mlpipe.api;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import jakarta.inject.Singleton;

/**
 * Credentials verified a moment ago, so that bcrypt runs once per sign-in rather than on each of the many requests
 * HTTP Basic repeats them on (the page's, a v2 client's). Kept as a keyed hash of name and password, the key random
 * for each start, so that what is kept tells nothing of the password; each for {@link #FOR} after its check.
 */
@Singleton
class VerifiedCredentials {

    static final Duration FOR = Duration.ofMinutes(5);

    private final byte[] key = new byte[32];
    private final Cache<ByteBuffer, Accounts.Account> verified = Caffeine.newBuilder()
            .expireAfterWrite(FOR).maximumSize(10_000).build();

    VerifiedCredentials() {
        new SecureRandom().nextBytes(key);
    }

    Optional<Accounts.Account> find(String name, String password) {
        return Optional.ofNullable(verified.getIfPresent(digest(name, password)));
    }

    void remember(String name, String password, Accounts.Account account) {
        verified.put(digest(name, password), account);
    }

    private ByteBuffer digest(String name, String password) {
        return ByteBuffer.wrap(Accounts.hmac(key, name + ':' + password)); // a name has no ':' (HTTP Basic)
    }
}
