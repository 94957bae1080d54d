package dev.warden.server.demo.idp;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Conditional;

/**
 * When the demo identity provider exists at all: the demo is on and the metadata store is the
 * embedded H2 one, the same rule by which {@code DemoSetup} creates the demo orgs. A deployment
 * on PostgreSQL never has these beans, whatever {@code warden.demo.enabled} says.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ConditionalOnWebApplication
@ConditionalOnProperty(name = "warden.demo.enabled", havingValue = "true")
@Conditional(EmbeddedMetadataStore.class)
@interface DemoIdpRuns {}
