package dev.warden.server.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.stereotype.Repository;
import org.springframework.web.bind.annotation.RestController;

/** Who may reach what, as tests: the rules of DESIGN.md that code review alone would let slip. */
class ArchitectureTest {
    private static JavaClasses server;
    private static JavaClasses pureModules;

    @BeforeAll
    static void importClasses() {
        server = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.warden.server");
        pureModules = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS) // from their jars
                .importPackages("dev.warden.semantic", "dev.warden.crypto");
    }

    @Test
    void controllersDoNotReachRepositoriesDirectly() {
        noClasses().that().areAnnotatedWith(RestController.class)
                .should().dependOnClassesThat().areAnnotatedWith(Repository.class)
                .because("controllers go through services, which scope every read to the caller's org and audit changes")
                .check(server);
    }

    @Test
    void onlyTheAccessorReadsSpringSecuritysContext() {
        noClasses().that().doNotHaveFullyQualifiedName("dev.warden.server.access.CurrentAccess")
                .should().dependOnClassesThat().haveFullyQualifiedName(
                        "org.springframework.security.core.context.SecurityContextHolder")
                .because("the access context is obtained through one accessor that fails closed")
                .check(server);
    }

    @Test
    void onlyTheExecutorAndSignInMayAskForCredentialAccess() {
        noClasses().that().resideOutsideOfPackages("dev.warden.server.connections.execution..", "dev.warden.server.identity..")
                .should().callMethod(dev.warden.crypto.CredentialAccess.class, "get")
                .because("credentials are decrypted only by the components that need them (DESIGN.md promise 3)")
                .check(server);
    }

    @Test
    void credentialOpenersStayWithTheKeysTheExecutorAndSignIn() {
        noClasses().that().resideOutsideOfPackages("dev.warden.server.keys..", "dev.warden.server.connections.execution..",
                        "dev.warden.server.identity..")
                .should().dependOnClassesThat().areAssignableTo(dev.warden.crypto.CredentialOpener.class)
                .check(server);
    }

    @Test
    void theSemanticAndCryptoModulesDependOnNoSpringType() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .allowEmptyShould(false)
                .check(pureModules);
    }

    @Test
    void repositoriesLiveInTheirFeatureAndAreNotControllers() {
        classes().that().areAnnotatedWith(Repository.class).should().haveSimpleNameEndingWith("Repository")
                .check(server);
    }
}
