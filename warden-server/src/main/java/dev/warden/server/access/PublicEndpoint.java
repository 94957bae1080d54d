package dev.warden.server.access;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler that answers without authentication (SAML metadata, sign-in pages). It must
 * also be permitted in the security filter chain; the two lists are compared by a test.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface PublicEndpoint {
    /** Why this needs no authentication; shown in reviews. */
    String value();
}
