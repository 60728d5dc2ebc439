package dev.jvswitch.archtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.w3c.dom.Element;

/**
 * The floors in Maven's own module graph: every reactor module has a floor, and each POM depends
 * on modules below it only (test support in test scope only, tools excepted; a lower module's
 * test-jar in test scope). Datapath modules declare no control-plane library. Maven already
 * refuses cycles; this test refuses an arrow sideways or a product that ships test support.
 */
class PomFloorTest {
    /** Library groups the datapath modules may not declare (any scope but test). */
    private static final List<String> CONTROL_PLANE_GROUPS = List.of("io.netty", "org.projectfloodlight",
            "com.fasterxml.jackson", "org.opendaylight.ovsdb", "org.yaml");

    record Dep(String groupId, String artifactId, String scope, String type) {
        boolean ours() {
            return "dev.jvswitch".equals(groupId) || "${project.groupId}".equals(groupId);
        }
    }

    static List<Dep> dependencies(String module) {
        Element project = Repo.pom(Repo.root().resolve(module).resolve("pom.xml"));
        List<Dep> out = new ArrayList<>();
        for (Element deps : Repo.children(project, "dependencies")) {
            for (Element d : Repo.children(deps, "dependency")) {
                String scope = Repo.text(d, "scope");
                String type = Repo.text(d, "type");
                out.add(new Dep(Repo.text(d, "groupId"), Repo.text(d, "artifactId"), scope == null ? "compile" : scope,
                        type == null ? "jar" : type));
            }
        }
        return out;
    }

    @Test
    void everyReactorModuleHasAFloor() {
        List<String> modules = Repo.modules();
        assertThat(modules).contains("testkit", "mempool", "pmd-core", "vswitchd", "arch-test");
        modules.forEach(Floors::module);
    }

    /** The dependencies of {@code from} on modules of ours that break the floors, described. */
    static List<String> wrongArrows(Floors.Module from, List<Dep> deps) {
        List<String> wrong = new ArrayList<>();
        for (Dep d : deps) {
            if (!d.ours()) {
                continue;
            }
            Floors.Module to = Floors.module(d.artifactId());
            boolean ok = d.scope().equals("test")
                    ? to.kind() == Floors.Kind.TEST_SUPPORT || to.floor() < from.floor()
                    : Floors.mayImport(from, to) && !from.equals(to);
            if (!ok) {
                wrong.add(d.artifactId() + " (" + d.scope() + (d.type().equals("jar") ? "" : ", " + d.type())
                        + ", floor " + to.floor() + ")");
            }
        }
        return wrong;
    }

    @TestFactory
    Stream<DynamicTest> eachPomDependsOnlyOnLowerFloors() {
        return Repo.modules().stream().map(name -> DynamicTest.dynamicTest(name, () -> {
            Floors.Module from = Floors.module(name);
            assertThat(wrongArrows(from, dependencies(name)))
                    .as("%s (floor %d) depends on modules that are not below it, or on test support outside test"
                            + " scope", name, from.floor())
                    .isEmpty();
        }));
    }

    @Test
    void sidewaysArrowsAndShippedTestSupportAreFound() {
        Floors.Module openflow = Floors.module("openflow");
        assertThat(wrongArrows(openflow, List.of(
                new Dep("dev.jvswitch", "ofproto-xlate", "compile", "jar"),
                new Dep("dev.jvswitch", "pmd-core", "test", "test-jar"),
                new Dep("dev.jvswitch", "testkit", "test", "jar"),
                new Dep("io.netty", "netty-handler", "compile", "jar")))).isEmpty();
        assertThat(wrongArrows(openflow, List.of(
                new Dep("dev.jvswitch", "ovsdb", "compile", "jar"),
                new Dep("${project.groupId}", "testkit", "compile", "jar"),
                new Dep("dev.jvswitch", "vswitchd", "test", "jar"))))
                .containsExactly("ovsdb (compile, floor 5)", "testkit (compile, floor 0)", "vswitchd (test, floor 6)");
    }

    @TestFactory
    Stream<DynamicTest> datapathPomsDeclareNoControlPlaneLibrary() {
        return Repo.modules().stream().filter(Floors.DATAPATH::contains).map(name -> DynamicTest.dynamicTest(name, () -> {
            List<String> wrong = new ArrayList<>();
            for (Dep d : dependencies(name)) {
                if (!d.scope().equals("test") && d.groupId() != null
                        && CONTROL_PLANE_GROUPS.stream().anyMatch(g -> d.groupId().startsWith(g))) {
                    wrong.add(d.groupId() + ":" + d.artifactId());
                }
            }
            assertThat(wrong).as("control-plane libraries declared by %s", name).isEmpty();
        }));
    }
}
