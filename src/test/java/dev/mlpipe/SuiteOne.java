package dev.mlpipe;

import org.junit.platform.suite.api.ExcludeClassNamePatterns;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The unit tests' first JVM (the pom's {@code two-jvms} profile runs this suite, {@link SuiteTwo} and
 * {@link SuiteThree} at once): the broker's tests, whose namespaces on the one RabbitMQ must never meet another JVM's,
 * and eight classes of the default profile, chosen so that the suites end at about the same time (their figures are
 * in CONTRIBUTING.md).
 * Every test class is in one suite: this one takes {@link #CLASSES}, {@link SuiteThree} its own, {@link SuiteTwo} all
 * the others ({@code SuitesTest} checks it). Inside a suite Quarkus runs the classes of one test profile one after the
 * other, so each profile starts once per JVM.
 */
@Suite
@SelectPackages("dev.mlpipe")
@IncludeClassNamePatterns(SuiteOne.CLASSES)
@ExcludeClassNamePatterns(SuiteOne.FUZZ_TESTS)
public class SuiteOne {

    /** The package broker, eight classes of the default profile and three plain ones, for balance. */
    static final String CLASSES = "dev\\.mlpipe\\.broker\\.\\w*Test|dev\\.mlpipe\\.(ArchitectureTest"
            + "|api\\.CrossSiteTest|api\\.PipelineChangeTest|queue\\.PrioritiesAndDeadlinesTest"
            + "|reliability\\.FuzzedRequestsTest|reliability\\.HostileInputTest|reliability\\.LongRunTest"
            + "|run\\.RunValidationTest|serve\\.V2ServerTest|load\\.LoaderTest|stream\\.SseConnectionTest)";

    /** Each in a JVM of its own, beside the suites (the pom's two-jvms profile) or after them (its fuzz execution). */
    static final String FUZZ_TESTS = ".*FuzzTest";
}
