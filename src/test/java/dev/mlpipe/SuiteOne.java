package dev.mlpipe;

import org.junit.platform.suite.api.ExcludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The unit tests' first JVM (the pom's {@code two-jvms} profile runs this suite and {@link SuiteTwo} at once): the
 * broker's tests, whose namespaces on the one RabbitMQ must never meet another JVM's, the browser tests, the
 * sweeps and the v2 server's, chosen so that both suites end at about the same time (their figures are in
 * CONTRIBUTING.md). Every package is in one suite: this one selects these packages, {@link SuiteTwo} all the others
 * ({@code SuitesTest} checks both lists agree). Inside a suite Quarkus still runs the classes of one test profile one
 * after the other, so each profile starts once per JVM.
 */
@Suite
@SelectPackages({ "dev.mlpipe.broker", "dev.mlpipe.dashboard", "dev.mlpipe.serve", "dev.mlpipe.sweep" })
@ExcludeClassNamePatterns(SuiteOne.FUZZ_TESTS)
public class SuiteOne {

    /** Each in a JVM of its own, beside the suites (the pom's two-jvms profile) or after them (its fuzz execution). */
    static final String FUZZ_TESTS = ".*FuzzTest";
}
