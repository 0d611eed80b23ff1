package dev.mlpipe.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** An address that failed too often is refused for the lockout, then counts afresh; others are never refused. */
class SignInThrottleTest {

    @Test
    void failuresAreSlowedThenRefusedForTheLockoutThenForgotten() {
        SignInThrottle throttle = new SignInThrottle(5, Duration.ofMillis(500), null);
        for (int i = 1; i <= SignInThrottle.FREE; i++) {
            assertThat(throttle.failed("10.0.0.1", "alice")).as("failure %d", i).isZero();
        }
        assertThat(throttle.failed("10.0.0.1", "alice")).isEqualTo(SignInThrottle.STEP);
        assertThat(throttle.refusedFor("10.0.0.1")).isEmpty();
        assertThat(throttle.failed("10.0.0.1", "alice")).isEqualTo(SignInThrottle.STEP.multipliedBy(2));
        assertThat(throttle.refusedFor("10.0.0.1")).hasValueSatisfying(left -> assertThat(left)
                .isPositive().isLessThanOrEqualTo(Duration.ofMillis(500)));
        assertThat(throttle.refusedFor("10.0.0.2")).isEmpty();

        await().atMost(Duration.ofSeconds(10)).until(() -> throttle.refusedFor("10.0.0.1").isEmpty());
        assertThat(throttle.failed("10.0.0.1", "alice")).as("a new burst").isZero();
    }

    @Test
    void theWaitGrowsToAMostAndNoFurther() {
        SignInThrottle throttle = new SignInThrottle(1000, Duration.ofMinutes(5), null);
        Duration last = Duration.ZERO;
        for (int i = 0; i < 100; i++) {
            last = throttle.failed("10.0.0.3", "bob");
        }
        assertThat(last).isEqualTo(SignInThrottle.MOST);
    }
}
