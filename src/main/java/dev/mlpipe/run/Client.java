package dev.mlpipe.run;

import java.util.Optional;

/**
 * Who a request comes from, as the limits count it: decided at the HTTP edge, handed to the core as a plain value.
 * Every request has an address; a signed-in one also has a user. The per-client limits count the user when there is
 * one, else the address; the per-address limits count the address whoever signed in, so several users behind one
 * address each have their own per-client limits and share that address's.
 *
 * @param address the remote address (the forwarded one behind a trusted proxy; an IPv6 address as its /64)
 * @param user the signed-in user's name, empty for a request that did not sign in (or one the open modes count by its
 *        address whatever it sent)
 */
public record Client(String address, Optional<String> user) {

    /** A signed-in user, at the address their request came from. */
    public static Client user(String name, String address) {
        return new Client(address, Optional.of(name));
    }

    /** A request counted by its address alone. */
    public static Client address(String address) {
        return new Client(address, Optional.empty());
    }

    /** What the per-client limits count: the user when there is one, else the address. */
    String key() {
        return user.map(name -> "user " + name).orElse("address " + address);
    }

    @Override
    public String toString() {
        return key();
    }
}
