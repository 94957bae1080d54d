package dev.warden.semantic;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module stays pure: no Spring, no I/O of its own, and its packages depend in one direction. */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.warden.semantic");

    @Test
    void noSpringAnywhere() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..").check(MAIN);
        noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..")
                .check(new ClassFileImporter().importPackages("dev.warden.semantic"));
    }

    @Test
    void noIoOrGlobalTime() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("java.sql..", "java.net..", "java.nio.file..")
                .check(MAIN);
        noClasses().should().callMethod(System.class, "getenv", String.class).check(MAIN);
    }

    @Test
    void layersPointOneWay() {
        noClasses().that().resideInAPackage("..semantic.model..").should().dependOnClassesThat()
                .resideInAnyPackage("..semantic.compile..", "..semantic.query..", "..semantic.sql..", "..semantic.policy..").check(MAIN);
        noClasses().that().resideInAPackage("..semantic.sql..").should().dependOnClassesThat()
                .resideInAnyPackage("..semantic.compile..", "..semantic.query..", "..semantic.policy..").check(MAIN);
        noClasses().that().resideInAnyPackage("..semantic.query..", "..semantic.policy..").should().dependOnClassesThat()
                .resideInAPackage("..semantic.compile..").check(MAIN);
    }
}
