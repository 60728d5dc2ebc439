package dev.jvswitch.archtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The repository these tests check, read from the file system: the reactor's modules (the root
 * POM's {@code <modules>}), their POMs and their compiled main classes. The root comes from the
 * {@code jvs.repo.root} property that the module's POM sets.
 */
final class Repo {
    private Repo() {
    }

    static Path root() {
        String prop = System.getProperty("jvs.repo.root");
        Path root = (prop != null ? Path.of(prop) : Path.of("..")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("pom.xml"))) {
            throw new AssertionError("no pom.xml in " + root + " (set jvs.repo.root to the repository root)");
        }
        return root;
    }

    /** The module directories the root POM lists, in its order. */
    static List<String> modules() {
        Element project = pom(root().resolve("pom.xml"));
        List<String> out = new ArrayList<>();
        for (Element modules : children(project, "modules")) {
            for (Element m : children(modules, "module")) {
                out.add(m.getTextContent().trim());
            }
        }
        return out;
    }

    /** {@code <module>/target/classes}; fails if the module has main code that was not compiled. */
    static Path classesOf(String module) {
        Path dir = root().resolve(module);
        Path classes = dir.resolve("target/classes");
        if (Files.isDirectory(dir.resolve("src/main/java")) && !Files.isDirectory(classes)) {
            throw new AssertionError(module + " has main code but no " + classes
                    + ": build the reactor first (mvn verify from the root)");
        }
        return classes;
    }

    static Element pom(Path file) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document d = f.newDocumentBuilder().parse(file.toFile());
            return d.getDocumentElement();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new AssertionError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Direct child elements of {@code parent} named {@code name}. */
    static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The text of the direct child {@code name}, or null. */
    static String text(Element parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? null : c.get(0).getTextContent().trim();
    }
}
