package io.regionrouter.examples.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The BOM has no parent (so that importing it imposes no third-party version), so nothing keeps it in
 * step with the build by itself: this test does. It must name every published module, at the
 * project's version.
 */
class BomTest {

    static final Path ROOT = Path.of("..");
    static final Set<String> NOT_PUBLISHED = Set.of("examples", "benchmarks", "bom");

    @Test
    void theBom_managesEveryPublishedModule_atTheProjectsVersion() throws IOException {
        String root = Files.readString(ROOT.resolve("pom.xml"));
        String bom = Files.readString(ROOT.resolve("bom/pom.xml"));

        String projectVersion = first(root, "<artifactId>region-router-parent</artifactId>\\s*<version>([^<]+)</version>");
        assertThat(first(bom, "<artifactId>region-router-bom</artifactId>\\s*<version>([^<]+)</version>")).isEqualTo(projectVersion);

        Set<String> published = new TreeSet<>();
        Matcher modules = Pattern.compile("<module>([^<]+)</module>").matcher(root);
        while (modules.find()) {
            if (!NOT_PUBLISHED.contains(modules.group(1))) {
                String module = Files.readString(ROOT.resolve(modules.group(1)).resolve("pom.xml"));
                published.add(first(module, "</parent>\\s*<artifactId>([^<]+)</artifactId>"));
            }
        }
        Set<String> managed = new TreeSet<>();
        Matcher dependencies = Pattern.compile("<artifactId>(region-router-[^<]+)</artifactId>\\s*<version>\\$\\{project.version}</version>")
                .matcher(bom);
        while (dependencies.find()) {
            managed.add(dependencies.group(1));
        }
        assertThat(published).isNotEmpty();
        assertThat(managed).isEqualTo(published);
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }
}
