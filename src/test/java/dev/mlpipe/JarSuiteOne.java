package dev.mlpipe;

import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The {@code *IT}s' first JVM (the pom's {@code two-jvms} profile runs this suite and {@link JarSuiteTwo} at once):
 * the two that use the one RabbitMQ, which {@code ScaleOutIT} stops and starts, so they run one after the other here
 * and no broker test runs in the other JVM; and some that start their own jars, for balance. Each of these starts its
 * processes on free ports. {@link JarSuiteTwo} takes every other {@code *IT}, among them all that run on Quarkus'
 * integration-test launcher, which listens on the one management port the pom reserves.
 */
@Suite
@SelectPackages("dev.mlpipe")
@IncludeClassNamePatterns(JarSuiteOne.CLASSES)
public class JarSuiteOne {

    /** This suite's classes; {@link JarSuiteTwo} leaves them out ({@code SuitesTest} checks that each exists). */
    static final String CLASSES = "dev\\.mlpipe\\.(broker\\.ScaleOutIT|docs\\.ScaleOutDocsIT|http\\.ConnectionsIT)";
}
