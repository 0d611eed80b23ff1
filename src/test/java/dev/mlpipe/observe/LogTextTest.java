package dev.mlpipe.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import dev.mlpipe.support.LogCapture;

/** Untrusted text made safe for a log line, and a warning anyone can repeat said once per interval with a count. */
class LogTextTest {

    @Test
    void lineBreaksAndControlCharactersAreEscapedSoNoLineCanBeForged() {
        assertThat(LogText.of("a\nb\r\nc\td\u001b[31me\u0000f\u2028g\u0085h\\")).isEqualTo(
                "a\\nb\\r\\nc\\td\\u001b[31me\\u0000f\\u2028g\\u0085h\\\\");
        assertThat(LogText.of("żółw 🐢 run-ok")).isEqualTo("żółw 🐢 run-ok");
        assertThat(LogText.of(null)).isEqualTo("null");
    }

    @Test
    void longTextIsCutSayingHowMuchIsLeftAndNeverSplitsACharacter() {
        assertThat(LogText.of("x".repeat(1000), 10)).isEqualTo("xxxxxxxxxx...(990 more characters)");
        assertThat(LogText.of("abcdefghi🐢", 10)).isEqualTo("abcdefghi...(2 more characters)");
        assertThat(LogText.of("\ud800 lone")).startsWith("\\ud800");
    }

    @Test
    void aRepeatedWarningIsOneLineAndThenACountPerInterval() {
        Logger log = Logger.getLogger(LogTextTest.class);
        RepeatedWarning warning = new RepeatedWarning(log, "things refused", Duration.ofMillis(300));
        try (LogCapture lines = LogCapture.warnings(LogTextTest.class)) {
            for (int i = 1; i <= 20; i++) {
                warning.warn("refused thing " + i);
            }
            assertThat(lines.lines()).containsExactly("refused thing 1");
            await().atMost(Duration.ofSeconds(10)).until(() -> lines.lines().size() == 2);
            assertThat(lines.lines().get(1)).isEqualTo("19 more things refused in the last 300 ms; the last: refused thing 20");
        }
    }
}
