package dev.mlpipe.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The documentation holds together: README.md stays a front door, and every relative link and anchor in README.md,
 * CONTRIBUTING.md and docs/*.md leads somewhere. {@link DocsIT} also runs their runnable blocks on the packaged jar.
 */
class DocsTest {

    static final Path ROOT = Path.of("").toAbsolutePath();
    static final int README_MAX_LINES = 200;

    /** README.md, CONTRIBUTING.md, then docs/*.md by name. */
    static List<MarkdownFile> docs() {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CONTRIBUTING.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files.stream().map(file -> MarkdownFile.read(ROOT, file)).toList();
    }

    @Test
    void readmeStaysAFrontDoorOfAtMost200Lines() throws IOException {
        assertThat(Files.readAllLines(ROOT.resolve("README.md")))
                .as("README.md is the front door: reference belongs in docs/, contributor material in CONTRIBUTING.md")
                .hasSizeLessThanOrEqualTo(README_MAX_LINES);
    }

    @Test
    void everyRelativeLinkAndAnchorResolves() {
        Map<String, MarkdownFile> byName = docs().stream()
                .collect(Collectors.toMap(MarkdownFile::name, Function.identity()));
        List<String> broken = new ArrayList<>();
        for (MarkdownFile file : byName.values()) {
            for (MarkdownFile.Link link : file.links()) {
                String problem = resolve(file, link.target(), byName);
                if (problem != null) {
                    broken.add(file.name() + ":" + link.line() + " (" + link.target() + "): " + problem);
                }
            }
        }
        assertThat(broken).as("links that lead nowhere").isEmpty();
    }

    /** Why this link does not resolve, or null when it does. */
    private static String resolve(MarkdownFile from, String target, Map<String, MarkdownFile> docs) {
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
            return null; // https:, mailto: and the like: not ours to check
        }
        int hash = target.indexOf('#');
        String path = URLDecoder.decode(hash < 0 ? target : target.substring(0, hash), StandardCharsets.UTF_8);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path file = path.isEmpty() ? ROOT.resolve(from.name())
                : ROOT.resolve(from.name()).getParent().resolve(path).normalize();
        if (!file.startsWith(ROOT) || !Files.exists(file)) {
            return "no such file";
        }
        if (anchor == null) {
            return null;
        }
        MarkdownFile linked = docs.get(ROOT.relativize(file).toString().replace('\\', '/'));
        if (linked == null) {
            if (!file.toString().endsWith(".md")) {
                return "an anchor in a file that is not Markdown";
            }
            linked = MarkdownFile.read(ROOT, file);
        }
        return linked.anchors().contains(anchor) ? null : "no heading makes the anchor #" + anchor;
    }

    @Test
    void onlyBlocksMarkedRunnableRunAndTheirExpectationsCutThemIntoSegments() {
        MarkdownFile file = MarkdownFile.parse("sample.md", List.of(
                "# A title, with `code`",
                "````markdown",
                "```sh test",
                "echo not run: inside another fence",
                "```",
                "````",
                "```sh",
                "echo not run: not marked",
                "```",
                "```sh test",
                "echo one",
                "# => ^one$",
                "echo two; echo three",
                "# => two",
                "# => ^three$",
                "echo four",
                "```",
                "See [the title](#a-title-with-code) and [a file](docs/x.md#y)."));

        assertThat(file.runnableBlocks()).hasSize(1);
        MarkdownFile.Block block = file.runnableBlocks().get(0);
        assertThat(block.line()).isEqualTo(10);
        assertThat(block.firstLine()).isEqualTo("echo one");
        List<MarkdownFile.Segment> segments = block.segments();
        assertThat(segments).extracting(MarkdownFile.Segment::commands)
                .containsExactly("echo one\n", "echo two; echo three\n", "echo four\n");
        assertThat(segments).extracting(segment -> segment.expected().size()).containsExactly(1, 2, 0);
        assertThat(file.anchors()).containsExactly("a-title-with-code");
        assertThat(file.links()).extracting(MarkdownFile.Link::target)
                .containsExactly("#a-title-with-code", "docs/x.md#y");
    }
}
