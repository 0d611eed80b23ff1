package dev.mlpipe.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.mlpipe.config.MlpipeConfig;
import dev.mlpipe.config.SettingRanges;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.inject.Singleton;

/**
 * The accounts that may sign in: {@code operator} and {@code viewer} from the two passwords, the quick start, and the
 * named ones of {@code mlpipe.auth.users-file}, so that limits and logs are per person. A password is taken as it was
 * written ({@code config.LiteralPasswords}), at least {@value #MIN_PASSWORD} characters; what is wrong stops the start
 * with a sentence that never quotes it.
 */
@Singleton
public class Accounts {

    static final int MIN_PASSWORD = 8;
    static final String OPERATOR_PASSWORD = "mlpipe.auth.operator-password";
    static final String VIEWER_PASSWORD = "mlpipe.auth.viewer-password";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** An operator may do all a viewer may. */
    private static final Set<String> OPERATOR_ROLES = Set.of(Access.OPERATOR, Access.VIEWER);
    private static final Set<String> VIEWER_ROLES = Set.of(Access.VIEWER);

    /** A secret checked against what a request sends. */
    sealed interface Secret {
        /** May take milliseconds (bcrypt): not on an event loop. */
        boolean matches(String password);

        /** Whether {@link #matches} is quick enough for an event loop. */
        boolean quick();
    }

    /** A password from the configuration, kept only as a keyed hash and compared in constant time. */
    record Literal(byte[] key, byte[] digest) implements Secret {
        static Literal of(String password) {
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            return new Literal(key, hmac(key, password));
        }

        @Override
        public boolean matches(String password) {
            return MessageDigest.isEqual(hmac(key, password), digest);
        }

        @Override
        public boolean quick() {
            return true;
        }
    }

    /** A bcrypt hash from the users file. */
    record Bcrypt(String hash) implements Secret {
        @Override
        public boolean matches(String password) {
            return BcryptUtil.matches(password, hash);
        }

        @Override
        public boolean quick() {
            return false;
        }
    }

    record Account(String name, Set<String> roles, Secret secret) {
    }

    private final Map<String, Account> byName = new HashMap<>();
    /** Checked for a name no account has, so that a wrong name takes as long as a wrong password. */
    private final Secret nobody;

    Accounts(MlpipeConfig config) {
        List<String> problems = new ArrayList<>();
        Optional<String> operator = checked(OPERATOR_PASSWORD, config.auth().operatorPassword(), problems);
        Optional<String> viewer = checked(VIEWER_PASSWORD, config.auth().viewerPassword(), problems);
        operator.ifPresent(password -> add(Access.OPERATOR, OPERATOR_ROLES, Literal.of(password)));
        // the viewer's defaults to the operator's, which grants nothing the operator lacks
        viewer.or(() -> operator).ifPresent(password -> add(Access.VIEWER, VIEWER_ROLES, Literal.of(password)));
        List<UsersFile.Entry> named = config.auth().usersFile().map(file -> read(file, problems)).orElse(List.of());
        for (UsersFile.Entry entry : named) {
            add(entry.name(), entry.role().equals(Access.OPERATOR) ? OPERATOR_ROLES : VIEWER_ROLES,
                    new Bcrypt(entry.hash()));
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(String.join("; ", problems));
        }
        byte[] nothing = new byte[24];
        RANDOM.nextBytes(nothing);
        this.nobody = named.isEmpty() ? Literal.of("")
                : new Bcrypt(BcryptUtil.bcryptHash(new String(nothing, StandardCharsets.ISO_8859_1),
                        UsersFile.highestCost(named)));
    }

    /** Whether any account can sign in: without one, the service is open (to loopback, or on purpose) or refused. */
    public boolean any() {
        return !byName.isEmpty();
    }

    Optional<Account> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** What to check a password against when its name has no account. */
    Secret nobody() {
        return nobody;
    }

    private void add(String name, Set<String> roles, Secret secret) {
        byName.put(name, new Account(name, roles, secret));
    }

    /** A short or blank password is a problem that does not quote it. */
    private static Optional<String> checked(String key, Optional<String> value, List<String> problems) {
        if (value.isEmpty()) {
            return value;
        }
        String password = value.get();
        if (password.isBlank() || password.codePointCount(0, password.length()) < MIN_PASSWORD) {
            String what = password.isBlank() ? " is blank" : " is shorter than " + MIN_PASSWORD + " characters";
            problems.add(SettingRanges.setting(key) + what + ": set a password of at least " + MIN_PASSWORD
                    + " characters (it is taken as written: ${...} is not expanded, spaces are kept), or leave it "
                    + "unset");
            return Optional.empty();
        }
        return value;
    }

    private static List<UsersFile.Entry> read(Path file, List<String> problems) {
        String where = SettingRanges.setting("mlpipe.auth.users-file") + " " + file;
        try {
            List<UsersFile.Entry> entries = UsersFile.parse(Files.readAllLines(file, StandardCharsets.UTF_8));
            if (entries.isEmpty()) {
                problems.add(where + " names no account: a line is name:role:hash");
            }
            return entries;
        } catch (IOException | RuntimeException unreadable) {
            problems.add(where + (unreadable instanceof UsersFile.Unusable ? ": " + unreadable.getMessage()
                    : " cannot be read (" + unreadable.getClass().getSimpleName() + ")"));
            return List.of();
        }
    }

    static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
