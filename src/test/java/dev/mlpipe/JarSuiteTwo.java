package dev.mlpipe;

import org.junit.platform.suite.api.ExcludeClassNamePatterns;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The {@code *IT}s' second JVM: every {@code *IT} that {@link JarSuiteOne} does not name, so a new one lands here. The
 * {@code @QuarkusIntegrationTest}s share one jar, and {@code ShippedJarIT}, {@code DocsIT} and {@code ManagementIT}
 * another ({@code support/ShippedJar}), as they did in one JVM.
 */
@Suite
@SelectPackages("dev.mlpipe")
@IncludeClassNamePatterns(".*IT")
@ExcludeClassNamePatterns(JarSuiteOne.CLASSES)
public class JarSuiteTwo {
}
