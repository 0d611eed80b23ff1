package dev.mlpipe;

import org.junit.platform.suite.api.ExcludeClassNamePatterns;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/**
 * The unit tests' third JVM: classes of the default test profile only, so that it builds one application where the
 * others build three and six, and starts testing the sooner: the browser tests (but for SignedInBrowserTest, whose
 * profile, Accounts, {@link SuiteTwo} has), the sweeps, and every other class of the default profile that
 * {@link SuiteOne} does not take, so that {@link SuiteTwo} builds no application of the default profile.
 */
@Suite
@SelectPackages("dev.mlpipe")
@IncludeClassNamePatterns(SuiteThree.CLASSES)
@ExcludeClassNamePatterns(SuiteOne.FUZZ_TESTS)
public class SuiteThree {

    static final String CLASSES = "dev\\.mlpipe\\.(dashboard|sweep)\\.(?!SignedInBrowserTest$)\\w*Test"
            + "|dev\\.mlpipe\\.(http\\.RebindingTest|model\\.ModelRunsTest"
            + "|observe\\.ObservabilityTest|reliability\\.(ConservationTest|ManyAtOnceTest|VanishingClientsTest)"
            + "|run\\.(LatencyDistributionTest|RunOwnDepthTest|RunResourceTest)"
            + "|stream\\.(EventStreamTest|FollowFromTheStartTest)|support\\.PlainFailureLogTest)";
}
