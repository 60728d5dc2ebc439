package dev.jvswitch.archtest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;

/**
 * The main classes of every reactor module, imported once per test JVM from each module's
 * {@code target/classes} (not from the classpath: the shaded jars of the top modules hold every
 * class a second time). A class's module is the directory it was read from.
 */
final class MainClasses {
    private static JavaClasses all;

    private MainClasses() {
    }

    static synchronized JavaClasses all() {
        if (all == null) {
            List<Path> dirs = new ArrayList<>();
            for (String module : Repo.modules()) {
                Path classes = Repo.classesOf(module);
                if (Files.isDirectory(classes)) {
                    dirs.add(classes);
                }
            }
            all = new ClassFileImporter().importPaths(dirs);
        }
        return all;
    }

    /** The module a class was compiled in, or null for a class known only by name (JDK, libraries). */
    static String moduleOf(JavaClass c) {
        return c.getSource().map(s -> moduleOfLocation(s.getUri().toString())).orElse(null);
    }

    static String moduleOfLocation(String uri) {
        int at = uri.indexOf("/target/classes/");
        if (at < 0) {
            return null;
        }
        return uri.substring(uri.lastIndexOf('/', at - 1) + 1, at);
    }
}
