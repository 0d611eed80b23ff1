package dev.mlpipe;

import org.junit.platform.suite.api.ExcludeClassNamePatterns;
import org.junit.platform.suite.api.ExcludePackages;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The unit tests' second JVM: every package that {@link SuiteOne} does not select, so a new package lands here
 * rather than in neither suite.
 */
@Suite
@SelectPackages("dev.mlpipe")
@ExcludePackages({ "dev.mlpipe.broker", "dev.mlpipe.dashboard", "dev.mlpipe.serve", "dev.mlpipe.sweep" })
@ExcludeClassNamePatterns(SuiteOne.FUZZ_TESTS)
public class SuiteTwo {
}
