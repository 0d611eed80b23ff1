package dev.mlpipe.http;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * Which connections the public port keeps: at most {@code perAddress} from one address and {@code max} in all. At
 * {@code max}, the oldest connection that has not signed in is closed to make room, so that strangers holding every
 * connection cannot keep a signed-in operator out. A connection must be accepted before its credentials can be read:
 * a reserve of slots given only to connections that sign in would be held, for a header timeout each, by strangers
 * who connect again and again; taking the place of one who has not signed in cannot be held so.
 *
 * @param <C> a connection
 */
final class ConnectionAdmission<C> {

    /** What becomes of a new connection. */
    sealed interface Verdict<C> {
        /** It stays. */
        record Admitted<C>() implements Verdict<C> {
        }

        /** It stays in place of {@code oldest}, which has not signed in: the caller closes that one. */
        record Evicting<C>(C oldest) implements Verdict<C> {
        }

        /** It is closed as it opens: {@code setting} is the cap it met. */
        record Refused<C>(String setting) implements Verdict<C> {
        }
    }

    static final String PER_ADDRESS = "mlpipe.limits.connections-per-address";
    static final String MAX = "mlpipe.limits.max-connections";

    private final int max;
    private final int perAddress;
    /** The address of each open connection. */
    private final Map<C, String> open = new HashMap<>();
    private final Map<String, Integer> byAddress = new HashMap<>();
    /** Open connections none of whose requests has signed in, oldest first. */
    private final LinkedHashSet<C> strangers = new LinkedHashSet<>();

    ConnectionAdmission(int max, int perAddress) {
        this.max = max;
        this.perAddress = perAddress;
    }

    synchronized Verdict<C> admit(C connection, String address) {
        if (byAddress.getOrDefault(address, 0) >= perAddress) {
            return new Verdict.Refused<>(PER_ADDRESS);
        }
        C evicted = null;
        if (open.size() >= max) {
            if (strangers.isEmpty()) {
                return new Verdict.Refused<>(MAX);
            }
            evicted = strangers.iterator().next();
            closed(evicted);
        }
        open.put(connection, address);
        byAddress.merge(address, 1, Integer::sum);
        strangers.add(connection);
        return evicted == null ? new Verdict.Admitted<>() : new Verdict.Evicting<>(evicted);
    }

    /** A request on it signed in: it is never evicted. */
    synchronized void signedIn(C connection) {
        strangers.remove(connection);
    }

    /** It is gone (or about to be, evicted); a second call, or one for a connection refused, changes nothing. */
    synchronized void closed(C connection) {
        String address = open.remove(connection);
        if (address != null) {
            strangers.remove(connection);
            byAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
        }
    }

    synchronized int open() {
        return open.size();
    }

    /** For a test: how many connections from this address are open. */
    synchronized int open(String address) {
        return byAddress.getOrDefault(address, 0);
    }

    /** For a test: whether this one is among those that may be evicted. */
    synchronized boolean isStranger(C connection) {
        return strangers.contains(connection);
    }
}
