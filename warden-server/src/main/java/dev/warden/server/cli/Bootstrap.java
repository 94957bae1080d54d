package dev.warden.server.cli;

import dev.warden.server.audit.AuditActor;
import dev.warden.server.identity.ApiKeys;
import dev.warden.server.problem.Conflict;
import dev.warden.server.problem.InvalidRequest;
import dev.warden.server.tenancy.Tenants;
import java.io.PrintStream;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code ./warden bootstrap --org SLUG --admin-email EMAIL [--name NAME]}: creates an org with
 * its first admin and prints one API key, once. For an existing org it fails and changes nothing.
 * Works whether or not the server runs: the embedded H2 file is opened in auto-server mode, so a
 * second process goes through the first one's server instead of being locked out.
 */
@Component
public final class Bootstrap {
    private final Tenants tenants;
    private final ApiKeys keys;
    private final TransactionTemplate transaction;

    Bootstrap(Tenants tenants, ApiKeys keys, TransactionTemplate transaction) {
        this.tenants = tenants;
        this.keys = keys;
        this.transaction = transaction;
    }

    /** Runs the command; returns the process exit code. */
    public int run(String[] args, PrintStream out, PrintStream err) {
        String slug = null;
        String email = null;
        String name = null;
        for (int i = 1; i < args.length; i++) {
            String next = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--org" -> { slug = next; i++; }
                case "--admin-email" -> { email = next; i++; }
                case "--name" -> { name = next; i++; }
                default -> {
                    err.println("bootstrap: unknown option " + args[i]);
                    return usage(err);
                }
            }
        }
        if (slug == null || email == null) {
            return usage(err);
        }
        final String s = slug;
        final String e = email;
        final String n = name;
        try {
            ApiKeys.IssuedKey key = transaction.execute(status -> {
                AuditActor actor = AuditActor.system("bootstrap command");
                Tenants.NewOrg created = tenants.createOrg(s, n, e, actor);
                return keys.issue(created.org().id(), created.admin().id(),
                        new ApiKeys.NewKey("bootstrap", Optional.empty()), actor, Optional.empty());
            });
            out.println("Created org '" + s + "' with admin " + e.toLowerCase(java.util.Locale.ROOT) + ".");
            out.println("API key (shown once; store it now):");
            out.println(key.secretText());
            return 0;
        } catch (InvalidRequest problem) {
            // A malformed option value: say which, and how the command is used.
            err.println("bootstrap: " + problem.getMessage());
            return usage(err);
        } catch (Conflict problem) {
            err.println("bootstrap: " + problem.getMessage());
            return 1;
        }
    }

    private static int usage(PrintStream err) {
        err.println("usage: ./warden bootstrap --org SLUG --admin-email EMAIL [--name NAME]");
        return 2;
    }
}
