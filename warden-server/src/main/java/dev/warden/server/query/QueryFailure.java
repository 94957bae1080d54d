package dev.warden.server.query;

import org.springframework.http.HttpStatus;

/** A query that cannot be answered, with the status and words fit for the caller. */
public final class QueryFailure extends RuntimeException {
    private final HttpStatus status;
    private final String slug;
    private final String title;

    QueryFailure(HttpStatus status, String slug, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }
}
