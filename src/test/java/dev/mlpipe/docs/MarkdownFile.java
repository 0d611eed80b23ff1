package dev.mlpipe.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Markdown file as the docs tests read it: its fenced code blocks (the runnable ones are marked {@value #RUNNABLE},
 * CONTRIBUTING.md, "Docs that are tested"), the anchors its headings make, and the links outside code.
 */
record MarkdownFile(String name, List<String> lines, List<Block> blocks, Set<String> anchors, List<Link> links) {

    /** The one marker of a runnable block: the info string of its opening fence. */
    static final String RUNNABLE = "sh test";

    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})\\s*(.*?)\\s*$");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)(\\s+#+)?\\s*$");
    private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)(\\s+\"[^\"]*\")?\\)");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+).+?\\1");

    /** A fenced block: the line its fence opens on (from 1), its info string and the lines between the fences. */
    record Block(String info, int line, List<String> lines) {

        boolean runnable() {
            return info.equals(RUNNABLE);
        }

        String firstLine() {
            return lines.stream().filter(l -> !l.isBlank()).findFirst().orElse("").strip();
        }

        /**
         * The block cut after each expected-output line ({@code # => regex}): each segment's commands, and what its
         * output must match. Commands after the last expectation form a segment that expects nothing.
         */
        List<Segment> segments() {
            List<Segment> segments = new ArrayList<>();
            StringBuilder commands = new StringBuilder();
            List<Pattern> expected = new ArrayList<>();
            for (String line : lines) {
                Matcher expectation = Segment.EXPECTATION.matcher(line);
                if (expectation.matches()) {
                    expected.add(Pattern.compile(expectation.group(1), Pattern.MULTILINE));
                    continue;
                }
                if (!expected.isEmpty()) {
                    segments.add(new Segment(commands.toString(), List.copyOf(expected)));
                    commands.setLength(0);
                    expected.clear();
                }
                commands.append(line).append('\n');
            }
            if (!expected.isEmpty() || !commands.toString().isBlank()) {
                segments.add(new Segment(commands.toString(), List.copyOf(expected)));
            }
            return segments;
        }
    }

    /** Commands run together, and the patterns their output must contain. */
    record Segment(String commands, List<Pattern> expected) {
        /** {@code # => regex}, alone on its line: what the commands above it printed must contain a match. */
        static final Pattern EXPECTATION = Pattern.compile("^\\s*# => (.+)$");
    }

    /** A link or image target as written, and the line it is on. */
    record Link(int line, String target) {
    }

    static MarkdownFile read(Path root, Path file) {
        try {
            return parse(root.relativize(file).toString().replace('\\', '/'), Files.readAllLines(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MarkdownFile parse(String name, List<String> lines) {
        List<Block> blocks = new ArrayList<>();
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        List<Link> links = new ArrayList<>();
        String fence = null;
        String info = null;
        int opened = 0;
        List<String> body = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher fenceLine = FENCE.matcher(line);
            if (fence != null) {
                // a fence closes with the same character, at least as many of it, and no info string
                if (fenceLine.matches() && fenceLine.group(2).isEmpty() && fenceLine.group(1).charAt(0) == fence.charAt(0)
                        && fenceLine.group(1).length() >= fence.length()) {
                    blocks.add(new Block(info, opened, List.copyOf(body)));
                    fence = null;
                } else {
                    body.add(line);
                }
                continue;
            }
            if (fenceLine.matches()) {
                fence = fenceLine.group(1);
                info = fenceLine.group(2);
                opened = i + 1;
                body.clear();
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (heading.matches()) {
                String slug = slug(heading.group(1));
                int count = seen.merge(slug, 1, Integer::sum);
                anchors.add(count == 1 ? slug : slug + "-" + (count - 1));
            }
            Matcher link = LINK.matcher(CODE_SPAN.matcher(line).replaceAll(""));
            while (link.find()) {
                links.add(new Link(i + 1, link.group(1)));
            }
        }
        if (fence != null) {
            throw new IllegalStateException(name + ":" + opened + ": a fenced block that never closes");
        }
        return new MarkdownFile(name, List.copyOf(lines), List.copyOf(blocks), Set.copyOf(anchors), List.copyOf(links));
    }

    /** The anchor GitHub makes of a heading: lower case, punctuation left out, spaces as hyphens. */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
        return text.replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "").replace(' ', '-');
    }

    List<Block> runnableBlocks() {
        return blocks.stream().filter(Block::runnable).toList();
    }
}
