package dev.warden.server.web;

import dev.warden.server.identity.ApiKeyAuthentication;
import dev.warden.server.identity.session.SessionAuthentication;
import dev.warden.server.identity.session.SessionCookies;
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
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.IpAddressMatcher;

/**
 * The one filter chain. Authentication happens first, for every request; what nothing permits
 * is denied. The org API takes an API key or support session (bearer), or a browser session
 * (cookie, only without an Authorization header); the operator API takes operator credentials.
 */
@Configuration
@ConditionalOnWebApplication
class SecurityConfig {
    private static final IpAddressMatcher LOOPBACK_V4 = new IpAddressMatcher("127.0.0.0/8");
    private static final IpAddressMatcher LOOPBACK_V6 = new IpAddressMatcher("::1");

    @Bean
    SecurityFilterChain filterChain(HttpSecurity http, ApiKeyAuthentication apiKeys, SupportAuthentication operators,
                                    SessionAuthentication browserSessions, SessionCookies cookies,
                                    dev.warden.server.support.OperatorSessionAuthentication operatorSessions,
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

        // A browser session counts for the org API only; the sign-in pages read it themselves.
        var sessionFilter = new AuthenticationFilter(new ProviderManager(browserSessions), browserSessions);
        sessionFilter.setRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher("/api/**"));
        sessionFilter.setSuccessHandler(keepContext);
        sessionFilter.setFailureHandler(new AuthenticationEntryPointFailureHandler(problems));

        var operatorSessionFilter = new AuthenticationFilter(new ProviderManager(operatorSessions), operatorSessions);
        operatorSessionFilter.setRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher("/operator/api/**"));
        operatorSessionFilter.setSuccessHandler(keepContext);
        operatorSessionFilter.setFailureHandler(new AuthenticationEntryPointFailureHandler(problems));

        http
                // Spring's CSRF filter is off: a bearer credential is never sent by a browser on its
                // own, and cookie-authenticated writes are checked by SessionAuthentication (the
                // session's own token in X-CSRF-Token) and by sign-out (its form field).
                .csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .anonymous(anonymous -> anonymous.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(apiKeyFilter, BasicAuthenticationFilter.class)
                .addFilterBefore(operatorFilter, BasicAuthenticationFilter.class)
                .addFilterBefore(sessionFilter, BasicAuthenticationFilter.class)
                .addFilterBefore(operatorSessionFilter, BasicAuthenticationFilter.class)
                .exceptionHandling(ex -> ex.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .headers(headers -> headers
                        // Behind a TLS proxy the request is plain HTTP; the public URL says what the browser sees.
                        .httpStrictTransportSecurity(hsts -> hsts.requestMatcher(request -> cookies.secure())
                                .maxAgeInSeconds(31_536_000).includeSubDomains(true))
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
                        // Sign-in: the person has no session yet; each handler checks what it needs.
                        .requestMatchers(org.springframework.http.HttpMethod.GET, "/", "/signin", "/oidc/*/callback").permitAll()
                        .requestMatchers(org.springframework.http.HttpMethod.POST, "/saml/*/acs", "/signout").permitAll()
                        .requestMatchers(org.springframework.http.HttpMethod.GET, "/operator/signin", "/operator/oidc/callback").permitAll()
                        .requestMatchers(org.springframework.http.HttpMethod.POST, "/operator/signout").permitAll()
                        // The demo's identity provider (only when the demo runs; it answers loopback only).
                        .requestMatchers("/demo-idp/**").permitAll()
                        .requestMatchers("/error").permitAll()
                        .anyRequest().denyAll());
        return http.build();
    }
}
