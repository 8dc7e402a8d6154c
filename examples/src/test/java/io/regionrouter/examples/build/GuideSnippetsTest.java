package io.regionrouter.examples.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code java} block of the README and of the user guide under {@code docs/} compiles against the
 * public API, so the guide cannot drift from the code.
 *
 * <p>A block is compiled as the body of a method, or as the members of a class when it starts with an
 * annotation or a modifier (a {@code @Bean} method, a {@code static final} field). Every public package
 * of the project is imported. Names a block uses without declaring them are declared by an HTML comment
 * on the line before the block, which the rendered page does not show:
 * {@code <!-- given: RegionRouter router; String secret(String region); class Order {}; import org.example.Thing -->}:
 * a value becomes a parameter (or a field), a method an abstract method, a type a nested type.
 */
class GuideSnippetsTest {

    static final Path ROOT = Path.of("..");

    static final List<String> IMPORTS = List.of(
            "io.regionrouter.core.*",
            "io.regionrouter.jdbc.*",
            "io.regionrouter.jdbc.replication.*",
            "io.regionrouter.jdbc.failover.*",
            "io.regionrouter.mongo.*",
            "io.regionrouter.redis.*",
            "io.regionrouter.testkit.*",
            "java.sql.Connection",
            "java.sql.DriverManager",
            "java.sql.PreparedStatement",
            "java.sql.ResultSet",
            "java.sql.SQLException",
            "javax.sql.DataSource",
            "java.time.*",
            "java.util.*",
            "com.mongodb.ConnectionString",
            "com.mongodb.MongoClientSettings",
            "com.mongodb.client.*",
            "org.bson.Document",
            "static com.mongodb.client.model.Filters.*");

    private static final Pattern GIVEN = Pattern.compile("^<!--\\s*given:(.*)-->\\s*$");
    private static final Pattern MEMBER_START = Pattern.compile(
            "^(@|static\\b|public\\b|private\\b|protected\\b|final\\b)");

    record Snippet(Path file, int line, String code, List<String> imports, List<String> givens) {

        String className() {
            String page = file.getFileName().toString().replaceAll("\\W", "_");
            return "Snippet_" + page + "_" + line;
        }

        boolean members() {
            return code.lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("//"))
                    .findFirst()
                    .map(l -> MEMBER_START.matcher(l).find())
                    .orElse(false);
        }

        /** Everything before the block's first line. */
        String prefix() {
            StringBuilder s = new StringBuilder("package snippets;\n");
            Stream.concat(IMPORTS.stream(), imports.stream()).forEach(i -> s.append("import ").append(i).append(";\n"));
            s.append("@SuppressWarnings(\"all\")\nabstract class ").append(className()).append(" {\n");
            givens.stream().filter(Snippet::declaresMember).forEach(g -> s.append("    ").append(member(g)).append("\n"));
            List<String> values = givens.stream().filter(g -> !declaresMember(g)).collect(Collectors.toList());
            if (members()) {
                values.forEach(g -> s.append("    ").append(g).append(";\n"));
            } else {
                s.append("    void snippet(").append(String.join(", ", values)).append(") throws Exception {\n");
            }
            return s.toString();
        }

        /** A type ({@code class Order {}}) or a method ({@code String secret(String region)}) the block uses. */
        static boolean declaresMember(String given) {
            return given.matches("^(class|interface|record)\\b.*") || given.contains("(");
        }

        static String member(String given) {
            return given.contains("(") && !given.matches("^(class|interface|record)\\b.*")
                    ? "abstract " + given + ";"
                    : "static " + given;
        }

        String source() {
            return prefix() + code + (members() ? "\n}\n" : "\n    }\n}\n");
        }

    }

    @Test
    void everyJavaBlockOfTheGuide_compilesAgainstThePublicApi(@TempDir Path out) throws IOException {
        List<Snippet> snippets = new ArrayList<>();
        for (Path page : pages()) {
            snippets.addAll(snippets(page));
        }
        assertThat(snippets).as("java blocks found in README.md and docs/").hasSizeGreaterThan(10);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            List<JavaFileObject> units = snippets.stream().map(GuideSnippetsTest::unit).collect(Collectors.toList());
            List<String> options = List.of("-classpath", System.getProperty("java.class.path"),
                    "-d", out.toString(), "-proc:none", "-Xlint:none");
            javac.getTask(null, files, diagnostics, options, null, units).call();
        }
        List<String> errors = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> describe(d, snippets))
                .collect(Collectors.toList());
        assertThat(errors).as("guide snippets that do not compile").isEmpty();
    }

    static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>();
        pages.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    static List<Snippet> snippets(Path page) {
        List<String> lines;
        try {
            lines = Files.readAllLines(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Snippet> found = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("```java")) {
                continue;
            }
            int start = i + 1;
            int end = start;
            while (end < lines.size() && !lines.get(end).strip().startsWith("```")) {
                end++;
            }
            List<String> imports = new ArrayList<>();
            List<String> givens = new ArrayList<>();
            Matcher given = i > 0 ? GIVEN.matcher(lines.get(i - 1).strip()) : null;
            if (given != null && given.matches()) {
                for (String part : splitOutsideBraces(given.group(1))) {
                    String p = part.strip();
                    if (p.startsWith("import ")) {
                        imports.add(p.substring("import ".length()).strip());
                    } else if (!p.isEmpty()) {
                        givens.add(p);
                    }
                }
            }
            found.add(new Snippet(page, start + 1, String.join("\n", lines.subList(start, end)), imports, givens));
            i = end;
        }
        return found;
    }

    /** Splits on {@code ;} outside braces, so a given type may declare methods. */
    static List<String> splitOutsideBraces(String givens) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < givens.length(); i++) {
            char c = givens.charAt(i);
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            if (c == ';' && depth == 0) {
                parts.add(givens.substring(from, i));
                from = i + 1;
            }
        }
        parts.add(givens.substring(from));
        return parts;
    }

    private static JavaFileObject unit(Snippet snippet) {
        URI uri = URI.create("string:///snippets/" + snippet.className() + ".java");
        return new SimpleJavaFileObject(uri, JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return snippet.source();
            }
        };
    }

    private static String describe(Diagnostic<? extends JavaFileObject> d, List<Snippet> snippets) {
        String unit = d.getSource() == null ? "" : d.getSource().getName();
        return snippets.stream()
                .filter(s -> unit.endsWith("/" + s.className() + ".java"))
                .findFirst()
                .map(s -> ROOT.relativize(s.file()) + ":" + bodyLine(s, d.getLineNumber()) + ": "
                        + d.getMessage(Locale.ROOT))
                .orElse(unit + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
    }

    /** The line of the page that javac's line number in the generated source points at. */
    private static long bodyLine(Snippet s, long sourceLine) {
        return s.line() + sourceLine - 1 - s.prefix().lines().count();
    }
}
