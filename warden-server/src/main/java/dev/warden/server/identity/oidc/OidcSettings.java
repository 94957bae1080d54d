package dev.warden.server.identity.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import dev.warden.server.access.OrgId;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One org's OIDC relying-party settings: which identity provider it trusts, as which client,
 * and what an ID token must show before Warden lets a person in. Immutable; built with
 * {@link #builder}, or from a preset ({@link #google}, {@link #okta}) that fills in the
 * provider's issuer and defaults.
 *
 * <p>The issuer must be {@code https}, except on a loopback host (tests and the demo IdP). The
 * client secret is held by {@link ClientSecret} and never appears in {@link #toString()}.
 */
public final class OidcSettings {
    public static final List<String> DEFAULT_SCOPES = List.of("openid", "email", "profile");
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
    /** Every algorithm an org may allow: asymmetric signatures only. HMAC and {@code none} can never be configured. */
    public static final Set<JWSAlgorithm> PERMITTED_ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.ES384);
    public static final String GOOGLE_ISSUER = "https://accounts.google.com";

    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");
    private static final Pattern CLAIM_NAME = Pattern.compile("[A-Za-z0-9_.:/-]{1,200}");
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}");
    private static final Pattern AUTH_CONTEXT_VALUE = Pattern.compile("[\\x21-\\x7E]{1,200}");

    /** How the client authenticates at the token endpoint (RFC 6749 section 2.3.1). */
    public enum ClientAuthMethod { CLIENT_SECRET_BASIC, CLIENT_SECRET_POST }

    private final OrgId org;
    private final String issuer;
    private final String clientId;
    private final ClientSecret clientSecret;
    private final ClientAuthMethod clientAuthMethod;
    private final List<String> scopes;
    private final Map<String, String> claimMapping;
    private final Optional<String> groupsClaim;
    private final Set<String> allowedEmailDomains;
    private final Set<String> requiredAcrValues;
    private final Set<String> requiredAmrValues;
    private final Duration clockSkew;
    private final Set<JWSAlgorithm> allowedAlgorithms;
    private final boolean hostedDomainClaim;

    private OidcSettings(Builder b) {
        this.org = Objects.requireNonNull(b.org, "org is null");
        this.issuer = checkIssuer(b.issuer);
        this.clientId = requireText(b.clientId, "client id");
        this.clientSecret = Objects.requireNonNull(b.clientSecret, "client secret is null");
        this.clientAuthMethod = Objects.requireNonNull(b.clientAuthMethod, "client auth method is null");
        this.scopes = checkScopes(b.scopes);
        this.claimMapping = checkClaimMapping(b.claimMapping);
        this.groupsClaim = b.groupsClaim.map(c -> checkClaimName(c, "groups claim"));
        this.allowedEmailDomains = checkDomains(b.allowedEmailDomains);
        this.requiredAcrValues = checkAuthContextValues(b.requiredAcrValues, "acr");
        this.requiredAmrValues = checkAuthContextValues(b.requiredAmrValues, "amr");
        this.clockSkew = checkSkew(b.clockSkew);
        this.allowedAlgorithms = checkAlgorithms(b.allowedAlgorithms);
        this.hostedDomainClaim = b.hostedDomainClaim;
    }

    /**
     * Whether the allowed domains are checked against the {@code hd} (hosted domain) claim too:
     * Google's, where a consumer account may hold a verified address at a company's domain (a
     * former employee's, say) without belonging to the company's Workspace.
     */
    public boolean hostedDomainClaim() {
        return hostedDomainClaim;
    }

    /** A blank builder: the issuer is any OIDC provider's, found through discovery. */
    public static Builder builder(String issuer, String clientId, ClientSecret clientSecret) {
        return new Builder(issuer, clientId, clientSecret);
    }

    /**
     * Google Workspace / Google accounts. Google issues RS256 ID tokens with {@code email_verified};
     * it reports no groups and no {@code amr}, so an org that requires MFA through Google cannot be
     * satisfied and should enforce 2-step verification in Google itself. Restrict the allowed email
     * domains: without them, any Google account would pass.
     */
    public static Builder google(String clientId, ClientSecret clientSecret) {
        return new Builder(GOOGLE_ISSUER, clientId, clientSecret)
                .hostedDomainClaim(true)
                .clientAuthMethod(ClientAuthMethod.CLIENT_SECRET_POST)
                .allowedAlgorithms(Set.of(JWSAlgorithm.RS256));
    }

    /**
     * Okta, through the org authorization server at {@code https://{domain}} (an Okta domain such
     * as {@code acme.okta.com} or a custom domain; a host name only). Asks for the {@code groups}
     * scope and reads groups from the {@code groups} claim; Okta reports {@code amr} (for example
     * {@code mfa}, {@code otp}, {@code hwk}), which {@link Builder#requiredAmrValues} can require.
     */
    public static Builder okta(String domain, String clientId, ClientSecret clientSecret) {
        Objects.requireNonNull(domain, "domain is null");
        String host = domain.strip().toLowerCase(Locale.ROOT);
        if (!HOST_NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("the Okta domain must be a host name such as acme.okta.com");
        }
        List<String> scopes = new ArrayList<>(DEFAULT_SCOPES);
        scopes.add("groups");
        return new Builder("https://" + host, clientId, clientSecret)
                .scopes(scopes)
                .groupsClaim("groups")
                .clientAuthMethod(ClientAuthMethod.CLIENT_SECRET_BASIC)
                .allowedAlgorithms(Set.of(JWSAlgorithm.RS256));
    }

    public OrgId org() {
        return org;
    }

    /** Exactly as configured; compared character for character with discovery and every ID token's {@code iss}. */
    public String issuer() {
        return issuer;
    }

    public String clientId() {
        return clientId;
    }

    ClientSecret clientSecret() {
        return clientSecret;
    }

    public ClientAuthMethod clientAuthMethod() {
        return clientAuthMethod;
    }

    public List<String> scopes() {
        return scopes;
    }

    /** Claim name to Warden attribute name. */
    public Map<String, String> claimMapping() {
        return claimMapping;
    }

    public Optional<String> groupsClaim() {
        return groupsClaim;
    }

    /** Lower-case domains; empty means any domain (the IdP alone decides who exists). */
    public Set<String> allowedEmailDomains() {
        return allowedEmailDomains;
    }

    public Set<String> requiredAcrValues() {
        return requiredAcrValues;
    }

    public Set<String> requiredAmrValues() {
        return requiredAmrValues;
    }

    /** True when the org requires MFA: a token must then carry one of the required acr or amr values. */
    public boolean requiresMfa() {
        return !requiredAcrValues.isEmpty() || !requiredAmrValues.isEmpty();
    }

    public Duration clockSkew() {
        return clockSkew;
    }

    public Set<JWSAlgorithm> allowedAlgorithms() {
        return allowedAlgorithms;
    }

    @Override
    public String toString() {
        return "OidcSettings[org=" + org + ", issuer=" + issuer + ", clientId=" + clientId
                + ", clientSecret=" + clientSecret + ", clientAuth=" + clientAuthMethod + ", scopes=" + scopes
                + ", claimMapping=" + claimMapping + ", groupsClaim=" + groupsClaim.orElse("-")
                + ", allowedEmailDomains=" + allowedEmailDomains + ", requiredAcr=" + requiredAcrValues
                + ", requiredAmr=" + requiredAmrValues + ", clockSkew=" + clockSkew
                + ", algorithms=" + allowedAlgorithms + "]";
    }

    /** Builds settings; {@link #org} is required, everything else has a default. */
    public static final class Builder {
        private OrgId org;
        private final String issuer;
        private final String clientId;
        private final ClientSecret clientSecret;
        private ClientAuthMethod clientAuthMethod = ClientAuthMethod.CLIENT_SECRET_BASIC;
        private List<String> scopes = DEFAULT_SCOPES;
        private Map<String, String> claimMapping = Map.of();
        private Optional<String> groupsClaim = Optional.empty();
        private Collection<String> allowedEmailDomains = List.of();
        private Collection<String> requiredAcrValues = List.of();
        private Collection<String> requiredAmrValues = List.of();
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Collection<JWSAlgorithm> allowedAlgorithms = PERMITTED_ALGORITHMS;
        private boolean hostedDomainClaim;

        private Builder(String issuer, String clientId, ClientSecret clientSecret) {
            this.issuer = issuer;
            this.clientId = clientId;
            this.clientSecret = clientSecret;
        }

        /** With allowed domains, the {@code hd} claim must be one of them as well (Google Workspace). */
        public Builder hostedDomainClaim(boolean required) {
            this.hostedDomainClaim = required;
            return this;
        }

        public Builder org(OrgId org) {
            this.org = org;
            return this;
        }

        public Builder clientAuthMethod(ClientAuthMethod method) {
            this.clientAuthMethod = method;
            return this;
        }

        /** Must include {@code openid}. */
        public Builder scopes(Collection<String> scopes) {
            this.scopes = List.copyOf(scopes);
            return this;
        }

        public Builder claimMapping(Map<String, String> claimToAttribute) {
            this.claimMapping = Map.copyOf(claimToAttribute);
            return this;
        }

        public Builder groupsClaim(String claim) {
            this.groupsClaim = Optional.of(claim);
            return this;
        }

        public Builder allowedEmailDomains(Collection<String> domains) {
            this.allowedEmailDomains = List.copyOf(domains);
            return this;
        }

        public Builder allowedEmailDomains(String... domains) {
            return allowedEmailDomains(List.of(domains));
        }

        public Builder requiredAcrValues(Collection<String> values) {
            this.requiredAcrValues = List.copyOf(values);
            return this;
        }

        public Builder requiredAmrValues(Collection<String> values) {
            this.requiredAmrValues = List.copyOf(values);
            return this;
        }

        /** At most {@link #MAX_CLOCK_SKEW}. */
        public Builder clockSkew(Duration skew) {
            this.clockSkew = skew;
            return this;
        }

        /** A non-empty subset of {@link #PERMITTED_ALGORITHMS}. */
        public Builder allowedAlgorithms(Collection<JWSAlgorithm> algorithms) {
            this.allowedAlgorithms = List.copyOf(algorithms);
            return this;
        }

        public OidcSettings build() {
            return new OidcSettings(this);
        }
    }

    static boolean isLoopback(URI uri) {
        String host = uri.getHost();
        return host != null && (host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]"));
    }

    /** https, or http on a loopback host; absolute, with a host, no query, fragment or user info. */
    static boolean isAcceptableEndpoint(URI uri) {
        if (uri == null || !uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null) {
            return false;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("https") || (scheme.equals("http") && isLoopback(uri));
    }

    private static String checkIssuer(String issuer) {
        requireText(issuer, "issuer");
        URI uri;
        try {
            uri = new URI(issuer);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the issuer is not a valid URL");
        }
        if (!isAcceptableEndpoint(uri) || uri.getRawQuery() != null) {
            throw new IllegalArgumentException(
                    "the issuer must be an https URL without query or fragment (http only on a loopback host)");
        }
        return issuer;
    }

    private static List<String> checkScopes(List<String> scopes) {
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String scope : scopes) {
            if (scope == null || !SCOPE.matcher(scope).matches()) {
                throw new IllegalArgumentException("invalid scope: " + scope);
            }
            unique.add(scope);
        }
        if (!unique.contains("openid")) {
            throw new IllegalArgumentException("the scopes must include openid");
        }
        return List.copyOf(unique);
    }

    private static Map<String, String> checkClaimMapping(Map<String, String> mapping) {
        Map<String, String> checked = new LinkedHashMap<>();
        mapping.forEach((claim, attribute) -> checked.put(checkClaimName(claim, "claim"),
                requireText(attribute, "attribute name for claim " + claim)));
        return Map.copyOf(checked);
    }

    private static String checkClaimName(String claim, String what) {
        if (claim == null || !CLAIM_NAME.matcher(claim).matches()) {
            throw new IllegalArgumentException("invalid " + what + " name: " + claim);
        }
        return claim;
    }

    private static Set<String> checkDomains(Collection<String> domains) {
        LinkedHashSet<String> checked = new LinkedHashSet<>();
        for (String domain : domains) {
            String d = requireText(domain, "email domain").strip().toLowerCase(Locale.ROOT);
            if (d.startsWith("@")) {
                d = d.substring(1);
            }
            if (!HOST_NAME.matcher(d).matches()) {
                throw new IllegalArgumentException("invalid email domain: " + domain);
            }
            checked.add(d);
        }
        return Set.copyOf(checked);
    }

    private static Set<String> checkAuthContextValues(Collection<String> values, String what) {
        for (String value : values) {
            if (value == null || !AUTH_CONTEXT_VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException("invalid required " + what + " value: " + value);
            }
        }
        return Set.copyOf(values);
    }

    private static Duration checkSkew(Duration skew) {
        Objects.requireNonNull(skew, "clock skew is null");
        if (skew.isNegative() || skew.compareTo(MAX_CLOCK_SKEW) > 0) {
            throw new IllegalArgumentException("the clock skew must be between 0 and " + MAX_CLOCK_SKEW.toSeconds() + " s");
        }
        return skew;
    }

    private static Set<JWSAlgorithm> checkAlgorithms(Collection<JWSAlgorithm> algorithms) {
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("at least one signature algorithm must be allowed");
        }
        for (JWSAlgorithm algorithm : algorithms) {
            if (!PERMITTED_ALGORITHMS.contains(algorithm)) {
                throw new IllegalArgumentException("signature algorithm not permitted for ID tokens: " + algorithm);
            }
        }
        return Set.copyOf(algorithms);
    }

    private static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is missing");
        }
        return value;
    }
}
