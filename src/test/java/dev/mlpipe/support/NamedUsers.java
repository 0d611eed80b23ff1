package dev.mlpipe.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * A users file as an operator writes it, each hash from {@code htpasswd -nbB NAME PASSWORD} (bcrypt, cost 5) with the
 * role put between name and hash (carol's and erin's prefixes changed to {@code $2a$} and {@code $2b$}, which other
 * tools print for the same hash of an ASCII password); and the settings of a service that signs them in besides the two
 * accounts of {@link Accounts}.
 */
public final class NamedUsers {

    public static final String ALICE = "alice-pass-1"; // operator
    public static final String CAROL = "carol-pass-3"; // operator
    public static final String BOB = "bob-pass-2!"; // viewer
    public static final String ERIN = "erin-pass-5"; // viewer

    public static final String FILE = """
            # name:role:hash, each hash from htpasswd -nbB

            alice:operator:$2y$05$2sMBYJeIAJ8lUY2vZX/b.OMVWyTC/KbhELMlk1J.8Jk272dJZPn2q
            carol:operator:$2a$05$6JhV7dK6htRcLP8pHIfgsefKQ1jR9NTATGyksVDYtNjLPysmxoJIS
            bob:viewer:$2y$05$HHZEZdYgoP9B7yh6gF7IVOeA.6C4k9d3DxcCStbuXBnUO1aSsoDVS
            erin:viewer:$2b$05$vcCD3YXQ1F52CRQCgXJMaeQor9qjQWL0v./VS1XHT65BphH7xUF4q
            """;

    private NamedUsers() {
    }

    /** Writes the file under target/ and @return its absolute path */
    public static Path file() {
        try {
            Path file = Path.of("target", "users-" + ProcessHandle.current().pid()).toAbsolutePath();
            Files.writeString(file, FILE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sign-in asked for: the two passwords' accounts and these users. */
    public static Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>(Map.of("mlpipe.auth.enabled", "true",
                "mlpipe.auth.operator-password", Accounts.OPERATOR_PASSWORD,
                "mlpipe.auth.viewer-password", Accounts.VIEWER_PASSWORD));
        settings.put("mlpipe.auth.users-file", file().toString());
        return settings;
    }

    public static RequestSpecification as(String user, String password) {
        return RestAssured.given().auth().preemptive().basic(user, password);
    }
}
