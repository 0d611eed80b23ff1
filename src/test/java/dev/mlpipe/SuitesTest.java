package dev.mlpipe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.suite.api.ExcludeClassNamePatterns;
import org.junit.platform.suite.api.IncludeClassNamePatterns;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** No test class falls out of the JVMs of the unit tests or of the {@code *IT}s, nor runs in two. */
class SuitesTest {

    /** Surefire's default includes, which picked the unit tests' classes before the suites did. */
    private static final Pattern SUREFIRE_INCLUDES = Pattern.compile("Test.*|.*Test|.*Tests|.*TestCase");
    /** Failsafe's, which picked the {@code *IT}s' classes before the suites did. */
    private static final Pattern FAILSAFE_INCLUDES = Pattern.compile("IT.*|.*IT|.*ITCase");

    @Test
    void everyTestClassIsInExactlyOneSuite() throws IOException, URISyntaxException {
        List<String> testClasses = testClasses();
        assertThat(testClasses).as("the test classes found").contains(SuitesTest.class.getName(),
                "dev.mlpipe.broker.BrokerChannelTest", "dev.mlpipe.sweep.SweepTest");
        for (String name : testClasses) {
            assertThat(name).as("a class the suites' own pattern takes")
                    .matches(ClassNameFilter.STANDARD_INCLUDE_PATTERN);
            assertThat(List.of(runs(SuiteOne.class, name), runs(SuiteTwo.class, name), runs(SuiteThree.class, name)))
                    .as(name).containsOnlyOnce(true);
        }
        // a class renamed or moved would leave its name in a suite's pattern, and run in SuiteTwo
        assertThat(testClasses).filteredOn(name -> runs(SuiteOne.class, name)).as("SuiteOne's classes").contains(
                "dev.mlpipe.broker.BrokerChannelTest", "dev.mlpipe.serve.V2ServerTest",
                "dev.mlpipe.api.CrossSiteTest", "dev.mlpipe.api.PipelineChangeTest",
                "dev.mlpipe.queue.PrioritiesAndDeadlinesTest", "dev.mlpipe.reliability.FuzzedRequestsTest",
                "dev.mlpipe.reliability.HostileInputTest", "dev.mlpipe.reliability.LongRunTest",
                "dev.mlpipe.run.RunValidationTest", "dev.mlpipe.ArchitectureTest", "dev.mlpipe.load.LoaderTest",
                "dev.mlpipe.stream.SseConnectionTest");
        assertThat(testClasses).filteredOn(name -> runs(SuiteThree.class, name)).as("SuiteThree's classes").contains(
                "dev.mlpipe.dashboard.DashboardBrowserTest", "dev.mlpipe.sweep.SweepTest",
                "dev.mlpipe.http.RebindingTest", "dev.mlpipe.model.ModelRunsTest",
                "dev.mlpipe.observe.ObservabilityTest", "dev.mlpipe.reliability.ManyAtOnceTest",
                "dev.mlpipe.reliability.ConservationTest", "dev.mlpipe.reliability.VanishingClientsTest",
                "dev.mlpipe.run.LatencyDistributionTest", "dev.mlpipe.run.RunOwnDepthTest",
                "dev.mlpipe.run.RunResourceTest", "dev.mlpipe.stream.EventStreamTest",
                "dev.mlpipe.support.PlainFailureLogTest",
                "dev.mlpipe.stream.FollowFromTheStartTest").doesNotContain("dev.mlpipe.dashboard.SignedInBrowserTest");
    }

    @Test
    void everyIntegrationTestClassIsInExactlyOneJarSuite() throws IOException, URISyntaxException {
        List<String> itClasses = classes(FAILSAFE_INCLUDES);
        assertThat(itClasses).as("the *IT classes found").contains("dev.mlpipe.broker.ScaleOutIT",
                "dev.mlpipe.docs.DocsIT");
        for (String name : itClasses) {
            assertThat(List.of(runs(JarSuiteOne.class, name), runs(JarSuiteTwo.class, name))).as(name)
                    .containsExactlyInAnyOrder(true, false);
        }
        // a class renamed or moved would leave its name in JarSuiteOne's list, and run in the other JVM
        String alternatives = JarSuiteOne.CLASSES.replaceAll("^.*\\(|\\)$", "");
        for (String alternative : alternatives.split("\\|")) {
            String name = "dev.mlpipe." + alternative.replace("\\.", ".");
            assertThat(itClasses).as("a class JarSuiteOne names").contains(name);
        }
    }

    /** As the suite engine reads a class name pattern: the whole name, any of them. */
    private static boolean matches(String className, String[] patterns) {
        return Arrays.stream(patterns).anyMatch(className::matches);
    }

    @Test
    void suiteTwoRunsNoClassOfTheDefaultProfile() throws IOException, URISyntaxException, ClassNotFoundException {
        // SuiteOne and SuiteThree build the default profile's application; a class of it in SuiteTwo would build it
        // in a third JVM, at 8 to 10 s of CPU before SuiteTwo's first test
        for (String name : testClasses()) {
            if (runs(SuiteTwo.class, name)) {
                Class<?> test = Class.forName(name, false, SuitesTest.class.getClassLoader());
                assertThat(annotated(test, QuarkusTest.class) && !annotated(test, TestProfile.class))
                        .as(name + " is a @QuarkusTest of the default profile: name it in SuiteThree or SuiteOne")
                        .isFalse();
            }
        }
    }

    private static boolean annotated(Class<?> test, Class<? extends Annotation> annotation) {
        for (Class<?> type = test; type != null; type = type.getSuperclass()) {
            if (type.isAnnotationPresent(annotation)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code suite} runs the class {@code name}, as the suite engine reads its class name patterns: the
     * standard include pattern when it names none, and none excluded when it names none.
     */
    private static boolean runs(Class<?> suite, String name) {
        IncludeClassNamePatterns include = suite.getAnnotation(IncludeClassNamePatterns.class);
        ExcludeClassNamePatterns exclude = suite.getAnnotation(ExcludeClassNamePatterns.class);
        String[] included = include == null ? new String[] { ClassNameFilter.STANDARD_INCLUDE_PATTERN }
                : include.value();
        return matches(name, included) && (exclude == null || !matches(name, exclude.value()));
    }

    /** The top-level classes surefire would have run as unit tests, from the compiled test classes. */
    private static List<String> testClasses() throws IOException, URISyntaxException {
        return classes(SUREFIRE_INCLUDES).stream().filter(name -> !name.endsWith("FuzzTest")).toList();
    }

    /** The top-level compiled test classes whose simple name these includes take. */
    private static List<String> classes(Pattern includes) throws IOException, URISyntaxException {
        Path root = Path.of(SuitesTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(root)) {
            return files.map(root::relativize).map(Path::toString).filter(f -> f.endsWith(".class") && !f.contains("$"))
                    .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.'))
                    .filter(name -> includes.matcher(name.substring(name.lastIndexOf('.') + 1)).matches())
                    .sorted().toList();
        }
    }
}
