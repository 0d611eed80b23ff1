package dev.mlpipe;

import java.util.Comparator;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.ExcludeClassNamePatterns;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The {@code *IT}s' second JVM: every {@code *IT} that {@link JarSuiteOne} does not name, so a new one lands here. The
 * {@code @QuarkusIntegrationTest}s share one jar, started again for each test profile ({@link ProfilesTogether}), and
 * {@code ShippedJarIT}, {@code DocsIT} and {@code ManagementIT} another ({@code support/ShippedJar}).
 */
@Suite
@SelectPackages("dev.mlpipe")
@IncludeClassNamePatterns(".*IT")
@ExcludeClassNamePatterns(JarSuiteOne.CLASSES)
@ConfigurationParameter(key = "junit.jupiter.testclass.order.default", value = JarSuiteTwo.ORDER)
public class JarSuiteTwo {

    static final String ORDER = "dev.mlpipe.JarSuiteTwo$ProfilesTogether";

    /**
     * The {@code @QuarkusIntegrationTest}s first, the default profile's and then each test profile's together, then the
     * others; by class name within each. Quarkus' own orderer groups classes by the class loader it gives each profile,
     * which a {@code @QuarkusIntegrationTest} does not get: it left an {@code *IT} whose {@code *Test} names a profile
     * among the default profile's classes, so the jar started once more than the profiles need. Today every one runs
     * on the default profile, and the jar starts once: a test profile here costs a start under load (16 to 18 s).
     */
    public static class ProfilesTogether implements ClassOrderer {

        @Override
        public void orderClasses(ClassOrdererContext context) {
            context.getClassDescriptors().sort(Comparator
                    .comparing((ClassDescriptor test) -> !test.isAnnotated(QuarkusIntegrationTest.class))
                    .thenComparing(test -> profile(test.getTestClass()))
                    .thenComparing(test -> test.getTestClass().getName()));
        }

        /** The test profile's class name, the empty string for none; a subclass runs with its superclass' profile. */
        private static String profile(Class<?> test) {
            for (Class<?> type = test; type != null; type = type.getSuperclass()) {
                TestProfile profile = type.getAnnotation(TestProfile.class);
                if (profile != null) {
                    return profile.value().getName();
                }
            }
            return "";
        }
    }
}
