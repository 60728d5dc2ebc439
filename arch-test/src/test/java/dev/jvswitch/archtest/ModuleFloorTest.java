package dev.jvswitch.archtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import com.tngtech.archunit.core.domain.JavaClass;

/**
 * The floors of docs/DESIGN.md, checked on the compiled main classes of every module: a module
 * uses only modules on lower floors, product code never uses test support, and the libraries of
 * the control plane (the OpenFlow channel, JSON, OVSDB, config parsing) never reach the datapath.
 */
class ModuleFloorTest {
    @Test
    void everyClassComesFromAModuleWithAFloor() {
        Set<String> modules = new TreeSet<>();
        for (JavaClass c : MainClasses.all()) {
            modules.add(MainClasses.moduleOf(c));
        }
        assertThat(modules).doesNotContainNull();
        modules.forEach(Floors::module);
        assertThat(modules).as("modules with main classes").contains("mempool", "pmd-core", "vswitchd");
    }

    @TestFactory
    Stream<DynamicTest> eachModuleUsesOnlyLowerFloors() {
        return Repo.modules().stream().map(name -> DynamicTest.dynamicTest(name,
                () -> Rules.floor(Floors.module(name), MainClasses::moduleOf).check(MainClasses.all())));
    }

    @Test
    void theDatapathNeverSeesTheControlPlane() {
        Rules.noLibraries(Floors.DATAPATH, Floors.CONTROL_PLANE_LIBRARIES, MainClasses::moduleOf,
                "the datapath knows nothing of OpenFlow, OVSDB or config files").check(MainClasses.all());
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .that(Rules.inModules(Floors.DATAPATH, MainClasses::moduleOf))
                .should().dependOnClassesThat(Rules.inModules(Floors.CONTROL_PLANE, MainClasses::moduleOf))
                .because("the datapath calls up only through its SPIs (UpcallHandler, the flow API)")
                .allowEmptyShould(true)
                .check(MainClasses.all());
    }

    @Test
    void onlyTheOpenflowModuleUsesTheChannelLibraries() {
        List<String> others = Floors.MODULES.keySet().stream().filter(m -> !m.equals("openflow")).toList();
        Rules.noLibraries(others, Floors.OPENFLOW_CHANNEL_LIBRARIES, MainClasses::moduleOf,
                "Netty and the OpenFlow codec live behind the openflow module").check(MainClasses.all());
    }

    @Test
    void ofprotoNeverUsesChannelCodecJsonOrOvsdb() {
        Rules.noLibraries(List.of("ofproto-xlate"), Floors.OFPROTO_FORBIDDEN_LIBRARIES, MainClasses::moduleOf,
                "translation works on the flow-mod model; wire formats live in openflow and ovsdb")
                .check(MainClasses.all());
    }
}
