package dev.warden.server.problem;

/**
 * The resource does not exist for this caller. A resource of another org is reported exactly
 * like a missing one, so the message names only the kind of resource, never the id's owner.
 */
public final class ResourceNotFound extends RuntimeException {
    public ResourceNotFound(String kind) {
        super("no " + kind + " with that id", null, false, false);
    }
}
