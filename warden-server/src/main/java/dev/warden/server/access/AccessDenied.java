package dev.warden.server.access;

/** The caller is authenticated but may not do this. Answered as 403 with the public reason. */
public final class AccessDenied extends RuntimeException {
    public AccessDenied(String publicReason) {
        super(publicReason, null, false, false);
    }
}
