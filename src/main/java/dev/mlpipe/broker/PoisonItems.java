package dev.mlpipe.broker;

import dev.mlpipe.queue.Item;
import io.quarkus.arc.profile.IfBuildProfile;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * In the test profile only: an item of value {@value #VALUE} is handed back to the broker's queue unrun every time a
 * worker is sent it, as a worker dying on it would leave it, so that a test sees it reach the dead letters.
 */
@ApplicationScoped
@IfBuildProfile("test")
public class PoisonItems {

    public static final int VALUE = -666;

    boolean kills(Item item) {
        return item.value() == VALUE;
    }
}
