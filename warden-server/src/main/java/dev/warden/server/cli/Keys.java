package dev.warden.server.cli;

import dev.warden.server.keys.KeyRotation;
import java.io.PrintStream;
import org.springframework.stereotype.Component;

/** {@code ./warden keys rotate}: a new primary key for every org, and stored credentials re-encrypted. */
@Component
public final class Keys {
    private final KeyRotation rotation;

    Keys(KeyRotation rotation) {
        this.rotation = rotation;
    }

    public int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2 || !args[1].equals("rotate")) {
            err.println("usage: ./warden keys rotate");
            return 2;
        }
        KeyRotation.Report report = rotation.rotateAll();
        out.println("Rotated the keys of " + report.orgs() + " org(s).");
        out.println("Credentials re-encrypted: " + report.resealed() + "; already under the new key: "
                + report.alreadyCurrent() + "; unreadable (left untouched): " + report.unreadable() + ".");
        out.println("Running nodes pick up the new keys within a minute; everything sealed before stays readable.");
        return report.unreadable() == 0 ? 0 : 1;
    }
}
