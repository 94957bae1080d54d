package dev.warden.server.demo.idp;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when the metadata store is the embedded H2 database of {@code ./warden run}. */
final class EmbeddedMetadataStore implements Condition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return context.getEnvironment().getProperty("spring.datasource.url", "").startsWith("jdbc:h2:");
    }
}
