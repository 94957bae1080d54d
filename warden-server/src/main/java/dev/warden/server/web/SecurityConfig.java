package dev.warden.server.web;

import dev.warden.server.identity.ApiKeyAuthentication;
import dev.warden.server.support.OperatorAuthentication;
import dev.warden.server.support.SupportAuthentication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The one filter chain. Authentication happens first, for every request; what nothing permits
 * is denied. The API is authenticated by API key (bearer) for now; browser sessions (OIDC, SAML),
 * SCIM tokens, embed and operator sessions slot in as further providers and converters beside it.
 *
 * <p>CSRF protection is off because no request is authenticated by a cookie yet: a bearer key is
 * never sent by a browser on its own. It comes back on with browser sessions.
 */
@Configuration
@ConditionalOnWebApplication
class SecurityConfig {
    private static final IpAddressMatcher LOOPBACK_V4 = new IpAddressMatcher("127.0.0.0/8");
    private static final IpAddressMatcher LOOPBACK_V6 = new IpAddressMatcher("::1");

    @Bean
    SecurityFilterChain filterChain(HttpSecurity http, ApiKeyAuthentication apiKeys, SupportAuthentication operators,
                                    ProblemResponses problems) throws Exception {
        var apiKeyFilter = new AuthenticationFilter(new ProviderManager(apiKeys), apiKeys);
        // On success the chain simply continues; the context is kept on the request for the access
        // log and for recording every operator request, whatever becomes of it afterwards.
        org.springframework.security.web.authentication.AuthenticationSuccessHandler keepContext =
                (request, response, authentication) -> {
                    if (authentication instanceof dev.warden.server.access.WardenAuthentication warden) {
                        request.setAttribute(RequestLog.CONTEXT_ATTRIBUTE, warden.context());
                    }
                };
        apiKeyFilter.setSuccessHandler(keepContext);
        apiKeyFilter.setFailureHandler(new AuthenticationEntryPointFailureHandler(problems));
        var operatorFilter = new AuthenticationFilter(new ProviderManager(operators), operators);
        operatorFilter.setSuccessHandler(keepContext);
        operatorFilter.setFailureHandler(new AuthenticationEntryPointFailureHandler(problems));

        http
                .csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .anonymous(anonymous -> anonymous.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(apiKeyFilter, BasicAuthenticationFilter.class)
                .addFilterBefore(operatorFilter, BasicAuthenticationFilter.class)
                .exceptionHandling(ex -> ex.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'"))
                        .referrerPolicy(referrer -> referrer.policy(
                                org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness").permitAll()
                        // Metrics name no tenant data, but still only for scrapers on this host.
                        .requestMatchers("/actuator/prometheus").access((authentication, context) ->
                                new org.springframework.security.authorization.AuthorizationDecision(
                                        LOOPBACK_V4.matches(context.getRequest()) || LOOPBACK_V6.matches(context.getRequest())))
                        .requestMatchers("/api/v1/openapi.json", "/api/v1/openapi.json/**").permitAll()
                        // An org's API needs an org context; an operator key alone (no org) never opens it.
                        .requestMatchers("/api/v1/**").access((authentication, context) ->
                                new org.springframework.security.authorization.AuthorizationDecision(
                                        authentication.get() instanceof dev.warden.server.access.WardenAuthentication))
                        // The operator API needs an operator, and nothing an org's people hold opens it.
                        .requestMatchers("/operator/api/v1/**").access((authentication, context) ->
                                new org.springframework.security.authorization.AuthorizationDecision(
                                        authentication.get() instanceof OperatorAuthentication))
                        .requestMatchers(org.springframework.http.HttpMethod.GET, "/saml/*/metadata").permitAll()
                        .requestMatchers("/error").permitAll()
                        .anyRequest().denyAll());
        return http.build();
    }
}
