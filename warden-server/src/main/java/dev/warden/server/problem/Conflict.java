package dev.warden.server.problem;

/** The request is well-formed but clashes with the current state (409). Nothing was changed. */
public final class Conflict extends RuntimeException {
    public Conflict(String publicDetail) {
        super(publicDetail, null, false, false);
    }
}
