package dev.jvswitch.archtest;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The rules, built for a given way of telling a class's module, so that the self-test can run
 * them over fixtures with a made-up module map.
 */
final class Rules {
    private Rules() {
    }

    /** Classes compiled in one of {@code modules}. */
    static DescribedPredicate<JavaClass> inModules(Collection<String> modules, Function<JavaClass, String> moduleOf) {
        Set<String> set = Set.copyOf(modules);
        return DescribedPredicate.describe("in module " + String.join(" or ", new java.util.TreeSet<>(set)),
                c -> {
                    String m = moduleOf.apply(c);
                    return m != null && set.contains(m);
                });
    }

    /** No cycle between the packages under {@code root}. */
    static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(**)").should().beFreeOfCycles();
    }

    /** Main code of {@code module} uses no class of a module it may not import (see {@link Floors}). */
    static ArchRule floor(Floors.Module module, Function<JavaClass, String> moduleOf) {
        return noClasses().that(inModules(List.of(module.name()), moduleOf))
                .should().dependOnClassesThat(inModules(Floors.notImportableFrom(module), moduleOf))
                .because(module.name() + " is on floor " + module.floor() + " and imports only lower floors"
                        + (module.kind() == Floors.Kind.PRODUCT ? ", never test support" : ""))
                .allowEmptyShould(true);
    }

    /** Main code of {@code modules} uses no class of {@code packages} (ArchUnit's {@code ..} syntax). */
    static ArchRule noLibraries(Collection<String> modules, List<String> packages, Function<JavaClass, String> moduleOf,
            String why) {
        return noClasses().that(inModules(modules, moduleOf))
                .should().dependOnClassesThat(resideInAnyPackage(packages.toArray(new String[0])))
                .because(why)
                .allowEmptyShould(true);
    }
}
