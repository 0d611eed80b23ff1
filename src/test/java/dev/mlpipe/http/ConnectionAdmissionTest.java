package dev.mlpipe.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.mlpipe.http.ConnectionAdmission.Verdict;

/** Which connections stay: a cap per address, a cap for all, and at that cap a stranger makes room for a newcomer. */
class ConnectionAdmissionTest {

    @Test
    void oneAddressGetsNoMoreThanItsCapWhateverIsFree() {
        ConnectionAdmission<String> admission = new ConnectionAdmission<>(10, 2);
        assertThat(admission.admit("a1", "10.0.0.1")).isInstanceOf(Verdict.Admitted.class);
        assertThat(admission.admit("a2", "10.0.0.1")).isInstanceOf(Verdict.Admitted.class);
        assertThat(admission.admit("a3", "10.0.0.1")).isEqualTo(new Verdict.Refused<>(ConnectionAdmission.PER_ADDRESS));
        assertThat(admission.admit("b1", "10.0.0.2")).as("another address").isInstanceOf(Verdict.Admitted.class);

        admission.closed("a1");
        assertThat(admission.admit("a4", "10.0.0.1")).as("a closed one makes room").isInstanceOf(Verdict.Admitted.class);
    }

    @Test
    void atTheCapTheOldestConnectionThatHasNotSignedInMakesRoom() {
        ConnectionAdmission<String> admission = new ConnectionAdmission<>(3, 3);
        admission.admit("operator", "10.0.0.1");
        admission.signedIn("operator");
        admission.admit("stranger1", "10.0.0.2");
        admission.admit("stranger2", "10.0.0.3");

        assertThat(admission.admit("newcomer", "10.0.0.4")).isEqualTo(new Verdict.Evicting<>("stranger1"));
        assertThat(admission.open()).isEqualTo(3);
        assertThat(admission.open("10.0.0.2")).as("the evicted one no longer counts").isZero();
        admission.closed("stranger1"); // its close, when it comes, changes nothing
        assertThat(admission.open()).isEqualTo(3);
        assertThat(admission.admit("next", "10.0.0.5")).isEqualTo(new Verdict.Evicting<>("stranger2"));
    }

    @Test
    void signedInConnectionsAreNeverEvictedSoAtTheCapOfThemANewcomerIsRefused() {
        ConnectionAdmission<String> admission = new ConnectionAdmission<>(2, 2);
        for (String viewer : new String[] { "v1", "v2" }) {
            admission.admit(viewer, "10.0.0.1");
            admission.signedIn(viewer);
        }
        assertThat(admission.admit("late", "10.0.0.2")).isEqualTo(new Verdict.Refused<>(ConnectionAdmission.MAX));
        assertThat(admission.isStranger("v1")).isFalse();
    }

    @Test
    void aRefusedConnectionTakesNothingAndItsCloseGivesNothingBack() {
        ConnectionAdmission<String> admission = new ConnectionAdmission<>(5, 1);
        admission.admit("a1", "10.0.0.1");
        admission.admit("a2", "10.0.0.1"); // refused
        admission.closed("a2");
        assertThat(admission.open("10.0.0.1")).isEqualTo(1);
        assertThat(admission.admit("a3", "10.0.0.1")).isInstanceOf(Verdict.Refused.class);
    }
}
