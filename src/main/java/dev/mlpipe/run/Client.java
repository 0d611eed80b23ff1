package dev.mlpipe.run;

/**
 * Who a request comes from, as the per-client limits count it: decided at the HTTP edge, handed to the core as a
 * plain value. A user and an address are never the same client, whatever their names.
 */
public record Client(String name) {

    /** An authenticated user, by the name they logged in with. */
    public static Client user(String name) {
        return new Client("user " + name);
    }

    /** A client that did not authenticate, by its remote address (the forwarded one behind a trusted proxy). */
    public static Client address(String host) {
        return new Client("address " + host);
    }

    @Override
    public String toString() {
        return name;
    }
}
