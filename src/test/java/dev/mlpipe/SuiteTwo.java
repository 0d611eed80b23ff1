package dev.mlpipe;

import org.junit.platform.suite.api.ExcludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The unit tests' second JVM: every test class that neither {@link SuiteOne} nor {@link SuiteThree} takes, so a new
 * package lands here rather than in neither suite: most plain unit tests and the classes of six test profiles. None
 * of the default profile ({@code SuitesTest} checks it): one here would build its application in a third JVM.
 */
@Suite
@SelectPackages("dev.mlpipe")
@ExcludeClassNamePatterns({ SuiteOne.CLASSES, SuiteThree.CLASSES, SuiteOne.FUZZ_TESTS })
public class SuiteTwo {
}
