package dev.warden.server.problem;

/** The request's content is not acceptable (400). The detail names the problem, never a secret. */
public final class InvalidRequest extends RuntimeException {
    public InvalidRequest(String publicDetail) {
        super(publicDetail, null, false, false);
    }
}
