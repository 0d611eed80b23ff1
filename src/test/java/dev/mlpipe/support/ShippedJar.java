package dev.mlpipe.support;

import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The packaged jar as it ships, one process for every {@code *IT} class that takes it: its production profile, default
 * limits, the operator's and the viewer's passwords in its environment as an operator sets them. A class asks for it
 * with {@code @ExtendWith(ShippedJar.class)} and a {@link ServiceProcess} parameter (of a {@code @BeforeAll} method,
 * say); the first starts it, and it stops when the last test has run. Each class leaves it as it found it (runs ended
 * or cancelled, settings put back), so that sharing it saves a start per class and changes no result.
 */
public final class ShippedJar implements ParameterResolver {

    public static final String OPERATOR_PASSWORD = "op-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    public static final String VIEWER_PASSWORD = "view-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());

    /** Its environment: what an operator exports before {@code java -jar}. */
    public static final Map<String, String> ENVIRONMENT = Map.of("MLPIPE_AUTH_OPERATOR_PASSWORD", OPERATOR_PASSWORD,
            "MLPIPE_AUTH_VIEWER_PASSWORD", VIEWER_PASSWORD);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ServiceProcess.class;
    }

    @Override
    public ServiceProcess resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // in the root context's store: one for the whole run, closed (AutoCloseable) when it ends
        return context.getRoot().getStore(ExtensionContext.Namespace.create(ShippedJar.class)).computeIfAbsent(
                "service", key -> ServiceProcess.start("shipped-jar", ENVIRONMENT).awaitReady(), ServiceProcess.class);
    }
}
