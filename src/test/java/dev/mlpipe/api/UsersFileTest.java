package dev.mlpipe.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mlpipe.support.NamedUsers;
import io.quarkus.elytron.security.common.BcryptUtil;

/** The users file as htpasswd helps write it, and each way a line can be wrong, said by its number alone. */
class UsersFileTest {

    @Test
    void eachLineIsAnAccountWhoseHashChecksItsPassword() {
        List<UsersFile.Entry> entries = UsersFile.parse(NamedUsers.FILE.lines().toList());
        assertThat(entries).extracting(UsersFile.Entry::name).containsExactly("alice", "carol", "bob", "erin");
        assertThat(entries).extracting(UsersFile.Entry::role).containsExactly("operator", "operator", "viewer", "viewer");
        String[] passwords = { NamedUsers.ALICE, NamedUsers.CAROL, NamedUsers.BOB, NamedUsers.ERIN };
        for (int i = 0; i < entries.size(); i++) {
            assertThat(BcryptUtil.matches(passwords[i], entries.get(i).hash())).as(entries.get(i).name()).isTrue();
            assertThat(BcryptUtil.matches(passwords[i] + " ", entries.get(i).hash())).isFalse();
        }
        assertThat(UsersFile.highestCost(entries)).isEqualTo(5);
    }

    @Test
    void aWrongLineIsNamedByItsNumberNeverQuoted() {
        String hash = "$2y$05$2sMBYJeIAJ8lUY2vZX/b.OMVWyTC/KbhELMlk1J.8Jk272dJZPn2q";
        String[][] cases = { { "alice:" + hash, "line 2 is not name:role:hash" },
                { "al ice:operator:" + hash, "line 2's name" }, { "operator:operator:" + hash, "line 2 names operator" },
                { "alice:admin:" + hash, "line 2's role" }, { "alice:operator:s3cret-in-clear", "line 2's hash" },
                { "alice:operator:$1$abc$def", "line 2's hash" }, { "alice:operator:" + hash.replace("$05$", "$03$"),
                        "line 2's bcrypt cost" } };
        for (String[] wrong : cases) {
            assertThatThrownBy(() -> UsersFile.parse(List.of("# accounts", wrong[0])))
                    .isInstanceOf(UsersFile.Unusable.class).hasMessageContaining(wrong[1])
                    .hasMessageNotContaining("s3cret").hasMessageNotContaining(hash);
        }
        assertThatThrownBy(() -> UsersFile.parse(List.of("bob:viewer:" + hash, "bob:operator:" + hash)))
                .hasMessageContaining("line 2 names bob again");
    }
}
