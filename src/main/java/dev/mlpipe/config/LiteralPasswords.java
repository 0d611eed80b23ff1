package dev.mlpipe.config;

import java.util.Set;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Expressions;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;

/**
 * The accounts' passwords are read as written: SmallRye Config expands {@code ${...}} in every value, so a password
 * with a {@code $} in it would be changed, and one naming a variable that is not set would stop the start with an
 * error quoting it. Before the expanding interceptor (a higher priority runs first), these keys are read with expansion
 * off. Registered as a SmallRye Config interceptor (META-INF/services).
 */
@Priority(Priorities.APPLICATION)
public final class LiteralPasswords implements ConfigSourceInterceptor {

    static final Set<String> KEYS = Set.of("mlpipe.auth.operator-password", "mlpipe.auth.viewer-password");

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        return KEYS.contains(name) ? Expressions.withoutExpansion(() -> context.proceed(name)) : context.proceed(name);
    }
}
