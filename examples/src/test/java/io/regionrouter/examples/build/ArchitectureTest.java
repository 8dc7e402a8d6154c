package io.regionrouter.examples.build;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the library, checked on the compiled classes of every module: modules and packages
 * without cycles, and no module reaching into another module's {@code internal} packages. A
 * {@code support} package is shared with region-router's own modules (its module-info exports it to
 * them alone); an application, such as the examples, may not use it either.
 */
class ArchitectureTest {

    /** A module's classes come from its jar ({@code region-router-jdbc-0.1.0.jar}) or its build folder. */
    private static final Pattern JAR = Pattern.compile("/region-router-([a-z-]+?)-\\d[^/]*\\.jar");
    private static final Pattern FOLDER = Pattern.compile("/([a-z-]+)/target/(?:test-)?classes/");
    private static final Set<String> APPLICATIONS = Set.of("examples", "benchmarks");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.regionrouter");
    }

    @Test
    void everyPublishedModuleIsImported() {
        Set<String> modules = classes.stream().map(ArchitectureTest::module).flatMap(Optional::stream)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(modules).contains("core", "jdbc", "jdbc-replication", "jdbc-failover", "mongo", "redis", "testkit",
                "spring-boot", "examples");
    }

    @Test
    void modulesAreFreeOfCycles() {
        slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                return module(javaClass).map(SliceIdentifier::of).orElse(SliceIdentifier.ignore());
            }

            @Override
            public String getDescription() {
                return "modules";
            }
        }).should().beFreeOfCycles().check(classes);
    }

    @Test
    void apiPackagesAreFreeOfCycles() {
        // A package and its own internal package (or core and its support package) depend on each other by
        // design: the API hands work to its implementation, which speaks the API's types. Any other cycle is
        // a tangle.
        slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String pkg = javaClass.getPackageName().replaceAll("\\.(internal|support)$", "");
                return pkg.startsWith("io.regionrouter.") ? SliceIdentifier.of(pkg) : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "API packages with their internals";
            }
        }).should().beFreeOfCycles().check(classes);
    }

    @Test
    void noModuleUsesAnotherModulesInternals() {
        List<String> violations = classes.stream()
                .flatMap(c -> c.getDirectDependenciesFromSelf().stream())
                .filter(ArchitectureTest::reachesIntoAnotherModule)
                .map(Dependency::getDescription)
                .distinct()
                .sorted()
                .collect(Collectors.toList());
        assertThat(violations).isEmpty();
    }

    private static boolean reachesIntoAnotherModule(Dependency d) {
        JavaClass target = d.getTargetClass();
        String pkg = target.getPackageName();
        if (!pkg.startsWith("io.regionrouter.")) {
            return false;
        }
        Optional<String> from = module(d.getOriginClass());
        Optional<String> to = module(target);
        if (from.isEmpty() || to.isEmpty() || from.equals(to)) {
            return false;
        }
        boolean internal = pkg.endsWith(".internal") || pkg.contains(".internal.");
        boolean support = pkg.endsWith(".support");
        return internal || (support && APPLICATIONS.contains(from.get()));
    }

    static Optional<String> module(JavaClass c) {
        Optional<String> uri = c.getSource().map(s -> s.getUri().toString());
        if (uri.isEmpty()) {
            return Optional.empty();
        }
        Matcher jar = JAR.matcher(uri.get());
        if (jar.find()) {
            return Optional.of(jar.group(1));
        }
        Matcher folder = FOLDER.matcher(uri.get());
        if (folder.find()) {
            return Optional.of(artifactOf(folder.group(1)));
        }
        return Optional.empty();
    }

    /** Build folders are named after the module's directory; jars after its artifact. */
    private static String artifactOf(String directory) {
        return switch (directory) {
            case "jdbc-routing" -> "jdbc";
            case "mongo-routing" -> "mongo";
            case "redis-replication" -> "redis";
            default -> directory;
        };
    }
}
