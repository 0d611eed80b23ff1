package dev.mlpipe.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The named accounts of {@code mlpipe.auth.users-file}: a line {@code name:role:hash} each, the role {@code operator} or
 * {@code viewer}, the hash bcrypt as {@code htpasswd -nbB} prints it ({@code $2y$}, or {@code $2a$}, {@code $2b$});
 * blank lines and lines that begin with {@code #} say nothing. What is wrong is said by line number, never by what the
 * line holds.
 */
final class UsersFile {

    /** One line's account. */
    record Entry(String name, String role, String hash) {
    }

    /** Why the file cannot be used, naming the line. */
    static final class Unusable extends RuntimeException {
        Unusable(String message) {
            super(message, null, false, false);
        }
    }

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    static final String NAME_RULE = "1 to 64 letters, digits or . _ @ -";
    private static final Pattern HASH = Pattern.compile("\\$2([aby])\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
    /** The names of the accounts the two passwords make, which a line may not take. */
    private static final Set<String> RESERVED = Set.of(Access.OPERATOR, Access.VIEWER);

    private UsersFile() {
    }

    static List<Entry> parse(List<String> lines) {
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int number = i + 1;
            String[] parts = line.split(":", -1);
            if (parts.length != 3) {
                throw new Unusable("line " + number + " is not name:role:hash (htpasswd -nbB prints name:hash; put "
                        + "the role between them)");
            }
            String name = parts[0];
            if (!NAME.matcher(name).matches()) {
                throw new Unusable("line " + number + "'s name must be " + NAME_RULE);
            }
            if (RESERVED.contains(name)) {
                throw new Unusable("line " + number + " names " + name + ", the account MLPIPE_AUTH_"
                        + name.toUpperCase(java.util.Locale.ROOT) + "_PASSWORD makes: name the person instead");
            }
            if (!names.add(name)) {
                throw new Unusable("line " + number + " names " + name + " again");
            }
            if (!parts[1].equals(Access.OPERATOR) && !parts[1].equals(Access.VIEWER)) {
                throw new Unusable("line " + number + "'s role must be operator or viewer");
            }
            Matcher hash = HASH.matcher(parts[2]);
            if (!hash.matches()) {
                throw new Unusable("line " + number + "'s hash must be bcrypt, as htpasswd -nbB prints it ($2y$ and "
                        + "a cost, then 53 characters)");
            }
            int cost = Integer.parseInt(hash.group(2));
            if (cost < 4 || cost > 31) {
                throw new Unusable("line " + number + "'s bcrypt cost must be from 04 to 31");
            }
            // $2b$ is $2y$ by another name (both fixed what $2a$ got wrong elsewhere); Elytron reads $2a$ and $2y$
            entries.add(new Entry(name, parts[1], hash.group(1).equals("b") ? "$2y$" + parts[2].substring(4) : parts[2]));
        }
        return entries;
    }

    /** The highest bcrypt cost among the entries, 4 for none. */
    static int highestCost(List<Entry> entries) {
        return entries.stream().mapToInt(entry -> Integer.parseInt(entry.hash().substring(4, 6))).max().orElse(4);
    }
}
