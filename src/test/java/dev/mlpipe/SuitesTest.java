package dev.mlpipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.suite.api.ExcludePackages;
import org.junit.platform.suite.api.SelectPackages;

/** No test class falls out of the unit tests' two JVMs, nor runs in both. */
class SuitesTest {

    /** Surefire's default includes, which picked the unit tests' classes before the suites did. */
    private static final Pattern SUREFIRE_INCLUDES = Pattern.compile("Test.*|.*Test|.*Tests|.*TestCase");

    @Test
    void everyTestClassIsInExactlyOneSuite() throws IOException, URISyntaxException {
        List<String> testClasses = testClasses();
        assertThat(testClasses).as("the test classes found").contains(SuitesTest.class.getName(),
                "dev.mlpipe.broker.BrokerChannelTest", "dev.mlpipe.sweep.SweepTest");
        for (String name : testClasses) {
            assertThat(name).as("a class the suites' own pattern takes")
                    .matches(ClassNameFilter.STANDARD_INCLUDE_PATTERN);
            assertThat(List.of(inSuiteOne(name), inSuiteTwo(name))).as(name).containsExactlyInAnyOrder(true, false);
        }
    }

    private static boolean inSuiteOne(String name) {
        return inAny(name, SuiteOne.class.getAnnotation(SelectPackages.class).value());
    }

    private static boolean inSuiteTwo(String name) {
        return inAny(name, SuiteTwo.class.getAnnotation(SelectPackages.class).value())
                && !inAny(name, SuiteTwo.class.getAnnotation(ExcludePackages.class).value());
    }

    /** As the suite engine reads a package: with its subpackages. */
    private static boolean inAny(String className, String[] packages) {
        return Arrays.stream(packages).anyMatch(p -> className.startsWith(p + "."));
    }

    /** The top-level classes surefire would have run as unit tests, from the compiled test classes. */
    private static List<String> testClasses() throws IOException, URISyntaxException {
        Path root = Path.of(SuitesTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(root::relativize).map(Path::toString).filter(f -> f.endsWith(".class") && !f.contains("$"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
                    .filter(name -> SUREFIRE_INCLUDES.matcher(name.substring(name.lastIndexOf('.') + 1)).matches())
                    .filter(name -> !name.endsWith("FuzzTest")).sorted().toList();
        }
    }
}
