package dev.mlpipe.support;

import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.rabbitmq.client.ConnectionFactory;

/**
 * A test class that needs the RabbitMQ at {@link Rabbit#HOST}:{@link Rabbit#PORT}. Without it, the class is skipped on
 * a developer's machine with one line saying what to start, and fails in CI (where {@code CI} is set), as the browser
 * tests do ({@link Browser}).
 * <p>
 * A JUnit condition rather than an assumption: conditions are evaluated before any extension's {@code beforeAll}, so
 * a {@code @QuarkusTest} with a broker profile is skipped before Quarkus tries to boot against a broker that is not
 * there (which fails the class, not skips it). To try the skip without stopping the shared broker, point the check at
 * a closed port: {@code -Dtest.rabbitmq.port=5999}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RabbitRequired.Check.class)
public @interface RabbitRequired {

    final class Check implements ExecutionCondition {

        private static final String START = "rabbitmq-server -detached";

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (context.getTestMethod().isPresent()) {
                return ConditionEvaluationResult.enabled("RabbitMQ was checked for the class");
            }
            String address = Rabbit.HOST + ":" + Rabbit.PORT;
            if (answers()) {
                return ConditionEvaluationResult.enabled("RabbitMQ is running on " + address);
            }
            String message = "RabbitMQ is not running on " + address + ": start it with `" + START
                    + "` to run the broker tests";
            if (System.getenv("CI") != null) {
                throw new AssertionError(message); // reported as the class's failure
            }
            System.out.println(context.getDisplayName() + " skipped: " + message); // surefire shows no reasons
            return ConditionEvaluationResult.disabled(message);
        }

        /** A connection as the broker tests make one (an AMQP handshake), not just an open port. */
        private static boolean answers() {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost(Rabbit.HOST);
            factory.setPort(Rabbit.PORT);
            factory.setConnectionTimeout(2_000);
            factory.setHandshakeTimeout(2_000);
            factory.setAutomaticRecoveryEnabled(false);
            try {
                factory.newConnection("mlpipe-tests-check").close();
                return true;
            } catch (IOException | TimeoutException e) {
                return false;
            }
        }
    }
}
