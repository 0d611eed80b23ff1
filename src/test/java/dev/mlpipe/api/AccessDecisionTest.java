package dev.mlpipe.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.mlpipe.api.Access.Mode;

/** What the settings at start make of the service: protected, open on purpose, open to this machine, or refused. */
class AccessDecisionTest {

    @Test
    void aPasswordProtectsTheServiceWhereverItListens() {
        assertThat(Access.decide(true, Optional.of("s3cret"), "0.0.0.0")).isEqualTo(Mode.PROTECTED);
        assertThat(Access.decide(true, Optional.of("s3cret"), "127.0.0.1")).isEqualTo(Mode.PROTECTED);
    }

    @Test
    void withoutAPasswordOnlyLoopbackStaysOpen() {
        assertThat(Access.decide(true, Optional.empty(), "127.0.0.1")).isEqualTo(Mode.OPEN_TO_LOOPBACK);
        assertThat(Access.decide(true, Optional.empty(), "localhost")).isEqualTo(Mode.OPEN_TO_LOOPBACK);
        assertThat(Access.decide(true, Optional.empty(), "::1")).isEqualTo(Mode.OPEN_TO_LOOPBACK);
    }

    @Test
    void listeningBeyondLoopbackWithoutAPasswordIsRefusedNamingWhatToSet() {
        for (Optional<String> none : java.util.List.of(Optional.<String>empty(), Optional.of("  "))) {
            for (String host : new String[] { "0.0.0.0", "::", "192.0.2.1", "no-such-host.invalid" }) {
                assertThatThrownBy(() -> Access.decide(true, none, host))
                        .isInstanceOf(Access.OpenToTheNetwork.class)
                        .hasMessageContaining("MLPIPE_AUTH_OPERATOR_PASSWORD")
                        .hasMessageContaining("MLPIPE_AUTH_ENABLED=false");
            }
        }
    }

    @Test
    void anOperatorWhoAsksForAnOpenServiceGetsOne() {
        assertThat(Access.decide(false, Optional.empty(), "0.0.0.0")).isEqualTo(Mode.OPEN);
        assertThat(Access.decide(false, Optional.of("s3cret"), "0.0.0.0")).isEqualTo(Mode.OPEN);
    }
}
