package dev.warden.server.access;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a handler of the deployment-level operator API ({@code /operator/api/v1}): it needs an
 * authenticated operator (the filter chain checks that) and no org context at all.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OperatorEndpoint {
}
