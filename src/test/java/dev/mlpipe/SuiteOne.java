package dev.mlpipe;

import org.junit.platform.suite.api.ExcludeClassNamePatterns;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The unit tests' first JVM (the pom's {@code two-jvms} profile runs this suite and {@link SuiteTwo} at once): the
 * broker's tests, whose namespaces on the one RabbitMQ must never meet another JVM's, the browser tests, the
 * sweeps and the v2 server's, chosen so that both suites end at about the same time (their figures are in
 * CONTRIBUTING.md). Every test class is in one suite: this one takes {@link #CLASSES}, {@link SuiteTwo} all the others
 * ({@code SuitesTest} checks it). Inside a suite Quarkus still runs the classes of one test profile one after the
 * other, so each profile starts once per JVM.
 */
@Suite
@SelectPackages("dev.mlpipe")
@IncludeClassNamePatterns(SuiteOne.CLASSES)
@ExcludeClassNamePatterns(SuiteOne.FUZZ_TESTS)
public class SuiteOne {

    /**
     * The packages broker, dashboard, serve and sweep, but for SignedInBrowserTest: its profile, Accounts, is
     * SuiteTwo's already, where it costs no application of its own.
     */
    static final String CLASSES = "dev\\.mlpipe\\.(broker|dashboard|serve|sweep)\\.(?!SignedInBrowserTest$)\\w*Test";

    /** Each in a JVM of its own, beside the suites (the pom's two-jvms profile) or after them (its fuzz execution). */
    static final String FUZZ_TESTS = ".*FuzzTest";
}
