package dev.jvswitch.archtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;

import dev.jvswitch.archtest.fixture.lower.Low;
import dev.jvswitch.archtest.fixture.upper.High;

/**
 * The rules can fail: over two fixture packages that depend on each other, with a made-up module
 * map ({@code lower} in mempool, {@code upper} in ofproto-xlate), each rule finds what it must.
 */
class RulesSelfTest {
    private static final String FIXTURE = "dev.jvswitch.archtest.fixture";
    private static final JavaClasses FIXTURES = new ClassFileImporter().importClasses(Low.class, High.class);
    private static final Function<JavaClass, String> MODULE_OF = c -> c.getPackageName().endsWith(".lower")
            ? "mempool" : c.getPackageName().endsWith(".upper") ? "ofproto-xlate" : null;

    @Test
    void aCycleIsFound() {
        assertThat(FIXTURES.size()).isEqualTo(2);
        assertThat(Rules.noPackageCycles(FIXTURE).evaluate(FIXTURES).hasViolation()).isTrue();
        assertThat(Rules.noPackageCycles(FIXTURE).evaluate(new ClassFileImporter().importClasses(Low.class))
                .hasViolation()).isFalse();
    }

    @Test
    void anArrowUpIsFoundAndAnArrowDownIsNot() {
        assertThat(Rules.floor(Floors.module("mempool"), MODULE_OF).evaluate(FIXTURES).hasViolation()).isTrue();
        assertThat(Rules.floor(Floors.module("ofproto-xlate"), MODULE_OF).evaluate(FIXTURES).hasViolation()).isFalse();
    }

    @Test
    void aForbiddenLibraryIsFound() {
        assertThat(Rules.noLibraries(List.of("mempool"), List.of("java.util.concurrent.."), MODULE_OF, "test")
                .evaluate(FIXTURES).hasViolation()).isTrue();
        assertThat(Rules.noLibraries(List.of("ofproto-xlate"), List.of("java.util.concurrent.."), MODULE_OF, "test")
                .evaluate(FIXTURES).hasViolation()).isFalse();
    }

    @Test
    void aClassLocationNamesItsModule() {
        assertThat(MainClasses.moduleOfLocation("file:/r/pmd-core/target/classes/dev/jvswitch/pmd/PmdAgent.class"))
                .isEqualTo("pmd-core");
        assertThat(MainClasses.moduleOfLocation("jar:file:/r/x.jar!/dev/X.class")).isNull();
    }

    @Test
    void testSupportIsForTestsAndToolsOnly() {
        Floors.Module testkit = Floors.module("testkit");
        assertThat(Floors.mayImport(Floors.module("mempool"), testkit)).isFalse();
        assertThat(Floors.mayImport(Floors.module("benchmarks"), testkit)).isTrue();
        assertThat(Floors.mayImport(Floors.module("openflow"), Floors.module("ovsdb"))).isFalse();
        assertThat(Floors.mayImport(Floors.module("openflow"), Floors.module("ofproto-xlate"))).isTrue();
    }
}
