package dev.warden.server.access;

/** Code that needs an access context ran without one. Fails closed; answered as 401. */
public final class NotAuthenticated extends RuntimeException {
    public NotAuthenticated() {
        super("no access context: the request is not authenticated", null, false, false);
    }
}
