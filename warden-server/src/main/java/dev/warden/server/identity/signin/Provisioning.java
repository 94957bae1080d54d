package dev.warden.server.identity.signin;

import dev.warden.server.access.OrgId;
import dev.warden.server.access.OrgRole;
import dev.warden.server.access.UserId;
import dev.warden.server.attributes.AttributeAdministration;
import dev.warden.server.attributes.AttributeRepository;
import dev.warden.server.attributes.UserAttributes;
import dev.warden.server.audit.AuditActor;
import dev.warden.server.audit.AuditLog;
import dev.warden.server.audit.AuditRecord;
import dev.warden.server.problem.InvalidRequest;
import dev.warden.server.tenancy.GroupRepository;
import dev.warden.server.tenancy.People;
import dev.warden.server.tenancy.User;
import dev.warden.server.tenancy.UserRepository;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who a verified identity is in the org, and what the identity provider says about them.
 *
 * <p><b>Finding the person.</b> By (issuer, subject) first: once linked, an identity always means
 * the same person, whatever its email becomes. An identity seen for the first time is linked to
 * the org's person with the same (IdP-verified) email, unless that person is already linked to
 * another subject at the same issuer: a recycled email address never inherits someone else's
 * account. Otherwise, with just-in-time provisioning on, a new MEMBER is created; with it off,
 * the sign-in is refused. A person belongs to exactly one org: identities are per org, and
 * sign-in through one org's provider never touches another org.
 *
 * <p><b>Precedence</b> (docs/SIGN-IN.md): for each attribute the org maps from its IdP, the IdP
 * wins at every sign-in: the person's own values are replaced by what the IdP sent, and removed
 * when it sent nothing (an entitlement withdrawn at the IdP is withdrawn here at the next
 * sign-in). Attributes the mapping does not name are the admin's alone. Values that do not fit
 * the attribute's definition (type, count) are not applied and the attribute is cleared (what the
 * IdP had said before must not outlive what it says now); the sign-in goes on and the audit event
 * names the attribute. For groups, when the org reads a groups claim: the person
 * joins each existing group the IdP names and leaves each group the IdP made them a member of
 * before and no longer names; memberships an admin made are never removed by a sign-in, and
 * unknown group names are ignored (groups are created by admins, not by IdPs).
 */
@Service
public class Provisioning {
    private final UserRepository users;
    private final UserIdentityRepository identities;
    private final AttributeRepository attributes;
    private final GroupRepository groups;
    private final AuditLog audit;
    private final Clock clock;

    public Provisioning(UserRepository users, UserIdentityRepository identities, AttributeRepository attributes,
                        GroupRepository groups, AuditLog audit, Clock clock) {
        this.users = users;
        this.identities = identities;
        this.attributes = attributes;
        this.groups = groups;
        this.audit = audit;
        this.clock = clock;
    }

    /** What a sign-in did to the person, for the audit event. */
    public record Outcome(User user, boolean created, boolean linked, List<String> attributesSet,
                          List<String> attributesSkipped, List<String> groupsJoined, List<String> groupsLeft) {}

    /**
     * @throws SignInRefused NOT_PROVISIONED, IDENTITY_CONFLICT or USER_DISABLED
     */
    @Transactional
    public Outcome signIn(OrgId org, ExternalIdentity identity, boolean jit, String requestId) {
        Instant now = clock.instant();
        String identityHash = SignInService.sha256Hex(identity.issuer() + "\n" + identity.subject());
        String email = People.normalizeEmail(identity.email());
        boolean created = false;
        boolean linked = false;
        Optional<UserId> known = identities.person(org, identityHash);
        User user;
        if (known.isPresent()) {
            user = users.find(org, known.get()).orElseThrow(() -> notProvisioned());
            identities.signedIn(org, identityHash, now);
        } else {
            Optional<User> byEmail = users.findByEmail(org, email);
            if (byEmail.isPresent()) {
                user = byEmail.get();
                if (!identities.subjectsAt(org, user.id(), identity.issuer()).isEmpty()) {
                    throw new SignInRefused("IDENTITY_CONFLICT",
                            "Your Warden account is linked to another account at your identity provider. "
                                    + "Please contact your administrator.", 403);
                }
            } else if (jit) {
                user = new User(UserId.random(), org, email, displayName(identity, email), OrgRole.MEMBER, false, now, now);
                users.insert(user);
                created = true;
                audit.append(org, AuditRecord.of(AuditActor.system("sign-in"), "user.create").target("user", user.id())
                        .requestId(requestId).details(Map.of("email", email, "org_role", "MEMBER",
                                "source", "just-in-time provisioning (" + identity.protocol() + ")")).build());
            } else {
                throw notProvisioned();
            }
            if (user.disabled()) {
                throw disabled();
            }
            identities.link(org, identityHash, user.id(), identity.issuer(), identity.subject(), now);
            linked = true;
        }
        if (user.disabled()) {
            throw disabled();
        }
        List<String> set = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        applyAttributes(org, user.id(), identity, set, skipped);
        List<String> joined = new ArrayList<>();
        List<String> left = new ArrayList<>();
        identity.groups().ifPresent(names -> applyGroups(org, user.id(), names, joined, left));
        return new Outcome(user, created, linked, set, skipped, joined, left);
    }

    private void applyAttributes(OrgId org, UserId user, ExternalIdentity identity, List<String> set, List<String> skipped) {
        Map<String, List<String>> current = attributes.valuesOf(org, user);
        for (String name : new TreeSet<>(identity.mappedAttributes())) {
            if (UserAttributes.SYSTEM.contains(name)) {
                skipped.add(name);
                continue;
            }
            Optional<AttributeRepository.Definition> definition = attributes.definition(org, name);
            if (definition.isEmpty()) {
                skipped.add(name);
                continue;
            }
            List<String> sent = identity.attributes().getOrDefault(name, List.of());
            List<String> values;
            if (sent.isEmpty()) {
                values = List.of();
            } else {
                try {
                    values = AttributeAdministration.validValues(definition.get(), sent);
                } catch (InvalidRequest e) {
                    // What the IdP says does not fit: the old value must not outlive it either.
                    skipped.add(name);
                    values = List.of();
                }
            }
            if (!values.equals(current.getOrDefault(name, List.of()))) {
                attributes.setValues(org, user, name, values);
                set.add(name);
            }
        }
    }

    private void applyGroups(OrgId org, UserId user, List<String> names, List<String> joined, List<String> left) {
        Map<String, UUID> named = groups.idsByName(org, new LinkedHashSet<>(names));
        Map<UUID, GroupRepository.Membership> memberships = groups.membershipsOf(org, user);
        Set<UUID> wanted = new LinkedHashSet<>(named.values());
        Map<UUID, String> nameOf = new LinkedHashMap<>();
        named.forEach((name, id) -> nameOf.put(id, name));
        for (UUID group : wanted) {
            if (!memberships.containsKey(group)) {
                groups.addMember(org, group, user, GroupRepository.IDP);
                joined.add(nameOf.get(group));
            }
        }
        for (Map.Entry<UUID, GroupRepository.Membership> m : memberships.entrySet()) {
            if (m.getValue().source().equals(GroupRepository.IDP) && !wanted.contains(m.getKey())) {
                groups.removeMember(org, m.getKey(), user);
                left.add(m.getValue().groupName());
            }
        }
    }

    private static String displayName(ExternalIdentity identity, String email) {
        String name = identity.displayName().map(String::strip).filter(n -> !n.isEmpty()).orElse(email);
        return name.length() > 200 ? name.substring(0, 200) : name;
    }

    private static SignInRefused notProvisioned() {
        return new SignInRefused("NOT_PROVISIONED",
                "Your organization has not given you access to Warden yet. Please ask your administrator.", 403);
    }

    private static SignInRefused disabled() {
        return new SignInRefused("USER_DISABLED", "Your Warden account is disabled. Please contact your administrator.", 403);
    }
}
