package io.regionrouter.examples.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every relative link of the README and the user guide points at a page that exists, and at a heading on it. */
class DocsLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]*)(#[^)\\s]*)?\\)");
    private static final Pattern HEADING = Pattern.compile("^#+ (.*)$");

    @Test
    void everyRelativeLink_resolvesToAPageAndAHeading() throws IOException {
        List<String> broken = new ArrayList<>();
        List<Path> pages = GuideSnippetsTest.pages();
        for (Path page : pages) {
            Matcher m = LINK.matcher(Files.readString(page));
            while (m.find()) {
                String target = m.group(1);
                String anchor = m.group(2);
                if (target.startsWith("http:") || target.startsWith("https:") || target.startsWith("mailto:")) {
                    continue;
                }
                Path linked = target.isEmpty() ? page : page.getParent().resolve(target).normalize();
                if (!Files.exists(linked)) {
                    broken.add(page.getFileName() + ": " + m.group() + " (no such file)");
                } else if (anchor != null && linked.toString().endsWith(".md") && !anchors(linked).contains(anchor.substring(1))) {
                    broken.add(page.getFileName() + ": " + m.group() + " (no such heading)");
                }
            }
        }
        assertThat(pages).hasSizeGreaterThan(10);
        assertThat(broken).isEmpty();
    }

    /** The anchors a renderer makes of a page's headings: lower case, punctuation dropped, spaces as dashes. */
    static Set<String> anchors(Path page) throws IOException {
        Set<String> anchors = new HashSet<>();
        boolean inCode = false;
        for (String line : Files.readAllLines(page)) {
            if (line.startsWith("```")) {
                inCode = !inCode;
            }
            Matcher h = HEADING.matcher(line);
            if (!inCode && h.matches()) {
                anchors.add(h.group(1).strip().toLowerCase(Locale.ROOT).replaceAll("[^\\w\\- ]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }
}
