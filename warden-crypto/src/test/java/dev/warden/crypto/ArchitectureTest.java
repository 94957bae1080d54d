package dev.warden.crypto;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module's shape: no Spring, a small public surface, one decryption point. */
class ArchitectureTest {
    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.warden.crypto");
    }

    @Test
    void usesNoSpring() {
        ArchRule rule = noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..");
        rule.check(main);
    }

    @Test
    void publicSurfaceIsTheDocumentedFewTypes() {
        Set<String> publicTypes = main.stream()
                .filter(c -> c.getModifiers().contains(JavaModifier.PUBLIC))
                .map(c -> c.getSimpleName())
                .collect(Collectors.toSet());

        assertThat(publicTypes).containsExactlyInAnyOrder(
                "MasterKey", "MasterKeyUnavailable", "Keyring", "KeyPurpose", "WrappedKeyset",
                "DataSealer", "CredentialSealer", "CredentialOpener", "CredentialAccess",
                "SealedDataUnreadable", "StoredFormat");
    }

    @Test
    void implementationClassesArePackagePrivateAndFinal() {
        classes().that().areNotPublic().and().areNotInterfaces().and().areNotAnonymousClasses()
                .should().haveModifier(JavaModifier.FINAL)
                .check(main);
    }

    @Test
    void orgKeysetsDecryptInOneMethod() {
        // PlaceBoundAead.open is the only decryption with an org keyset; the master key decrypts
        // only in its KMS start-up probe (keyset unwrapping goes through Tink's keyset format).
        noClasses().that().doNotHaveSimpleName("PlaceBoundAead").and().doNotHaveSimpleName("KekMasterKey")
                .should().callMethod(com.google.crypto.tink.Aead.class, "decrypt", byte[].class, byte[].class)
                .check(main);
        assertThat(main.get(PlaceBoundAead.class).getMethodCallsFromSelf().stream()
                        .filter(call -> call.getTarget().getName().equals("decrypt"))
                        .map(call -> call.getOrigin().getName())
                        .collect(Collectors.toSet()))
                .containsExactly("open");
        assertThat(main.get(KekMasterKey.class).getMethodCallsFromSelf().stream()
                        .filter(call -> call.getTarget().getName().equals("decrypt"))
                        .map(call -> call.getOrigin().getName())
                        .collect(Collectors.toSet()))
                .containsExactly("fromKms");
    }

    @Test
    void onlyTheOpenerAndResealReachTheDecryptionMethod() {
        Set<String> callers = main.stream()
                .flatMap(c -> c.getMethodCallsFromSelf().stream())
                .filter(call -> call.getTargetOwner().isEquivalentTo(PlaceBoundAead.class)
                        && call.getTarget().getName().equals("open"))
                .map(call -> call.getOriginOwner().getSimpleName() + "." + call.getOrigin().getName())
                .collect(Collectors.toSet());

        assertThat(callers).containsExactlyInAnyOrder(
                "TinkDataSealer.open", "TinkCredentialOpener.open", "PlaceBoundAead.reseal");
    }
}
