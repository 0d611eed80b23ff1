package dev.mlpipe.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.mlpipe.api.Access.Mode;

/** What the settings at start make of the service: protected, open on purpose, open to this machine, or refused. */
class AccessDecisionTest {

    @Test
    void anAccountProtectsTheServiceWhereverItListens() {
        assertThat(Access.decide(true, true, "0.0.0.0")).isEqualTo(Mode.PROTECTED);
        assertThat(Access.decide(true, true, "127.0.0.1")).isEqualTo(Mode.PROTECTED);
    }

    @Test
    void withoutAPasswordOnlyLoopbackStaysOpen() {
        assertThat(Access.decide(true, false, "127.0.0.1")).isEqualTo(Mode.OPEN_TO_LOOPBACK);
        assertThat(Access.decide(true, false, "localhost")).isEqualTo(Mode.OPEN_TO_LOOPBACK);
        assertThat(Access.decide(true, false, "::1")).isEqualTo(Mode.OPEN_TO_LOOPBACK);
    }

    @Test
    void listeningBeyondLoopbackWithoutAPasswordIsRefusedNamingWhatToSet() {
        for (String host : new String[] { "0.0.0.0", "::", "192.0.2.1", "no-such-host.invalid" }) {
            assertThatThrownBy(() -> Access.decide(true, false, host))
                    .isInstanceOf(Access.OpenToTheNetwork.class)
                    .hasMessageContaining("MLPIPE_AUTH_OPERATOR_PASSWORD")
                    .hasMessageContaining("MLPIPE_AUTH_USERS_FILE")
                    .hasMessageContaining("MLPIPE_AUTH_ENABLED=false");
        }
    }

    @Test
    void anOperatorWhoAsksForAnOpenServiceGetsOne() {
        assertThat(Access.decide(false, false, "0.0.0.0")).isEqualTo(Mode.OPEN);
        assertThat(Access.decide(false, true, "0.0.0.0")).isEqualTo(Mode.OPEN);
    }
}
