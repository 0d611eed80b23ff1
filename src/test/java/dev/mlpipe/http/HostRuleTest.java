package dev.mlpipe.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import dev.mlpipe.api.Access.Mode;

/** The host names a request may name: the listed ones when listed; else, open without a password, this machine's own. */
class HostRuleTest {

    private static boolean allows(Predicate<String> allowed, String host) {
        return allowed.test(HostRule.name(host));
    }

    @Test
    void openToThisMachineItAnswersToLoopbackNamesOnly() {
        Predicate<String> allowed = HostRule.allowed(Optional.empty(), Mode.OPEN_TO_LOOPBACK, "127.0.0.1");
        for (String own : new String[] { "localhost", "LocalHost.", "127.0.0.1", "127.0.0.2", "[::1]", "app.localhost" }) {
            assertThat(allows(allowed, own)).as(own).isTrue();
        }
        for (String other : new String[] { "rebind.attacker.example", "localhost.attacker.example", "192.0.2.7",
                "999.0.0.1", "[fd00::2]", "" }) {
            assertThat(allows(allowed, other)).as(other).isFalse();
        }
    }

    @Test
    void openOnEveryInterfaceItAlsoAnswersToAnyAddressAndThisMachinesNameButNoOtherName() throws Exception {
        Predicate<String> allowed = HostRule.allowed(Optional.empty(), Mode.OPEN, "0.0.0.0");
        assertThat(allows(allowed, "192.0.2.7")).as("an address cannot be rebound").isTrue();
        assertThat(allows(allowed, "[fd00::2]")).isTrue();
        assertThat(allows(allowed, InetAddress.getLocalHost().getHostName())).isTrue();
        assertThat(allows(allowed, "rebind.attacker.example")).isFalse();
    }

    @Test
    void openOnOneAddressItAnswersToThatAddressAndLoopback() {
        Predicate<String> allowed = HostRule.allowed(Optional.empty(), Mode.OPEN, "192.0.2.7");
        assertThat(allows(allowed, "192.0.2.7")).isTrue();
        assertThat(allows(allowed, "localhost")).isTrue();
        assertThat(allows(allowed, "192.0.2.8")).isFalse();
    }

    @Test
    void withAPasswordAnyNameIsAnsweredUnlessNamesAreListed() {
        assertThat(allows(HostRule.allowed(Optional.empty(), Mode.PROTECTED, "0.0.0.0"), "mlpipe.example")).isTrue();
    }

    @Test
    void listedNamesAreTheOnlyOnesInEveryModeComparedWithoutCaseOrTrailingDot() {
        for (Mode mode : Mode.values()) {
            Predicate<String> allowed = HostRule.allowed(Optional.of(List.of("MLPipe.example", "[::1]")), mode, "127.0.0.1");
            assertThat(allows(allowed, "mlpipe.example.")).as(mode.name()).isTrue();
            assertThat(allows(allowed, "[::1]")).isTrue();
            assertThat(allows(allowed, "localhost")).as("not listed").isFalse();
        }
    }
}
