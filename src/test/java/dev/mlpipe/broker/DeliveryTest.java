package dev.mlpipe.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** A worker counts an item's failed deliveries from the broker's redelivered flag and the header it published. */
class DeliveryTest {

    @Test
    void aFirstDeliveryHasNoFailureAndEachRedeliveryAddsOneToTheHeader() {
        assertThat(Delivery.of(false, null).failed()).isZero();
        assertThat(Delivery.of(true, null).failed()).as("its first delivery failed").isEqualTo(1);
        assertThat(Delivery.of(false, Map.of(Delivery.FAILED_DELIVERIES, 2)).failed()).isEqualTo(2);
        assertThat(Delivery.of(true, Map.of(Delivery.FAILED_DELIVERIES, 2)).failed()).isEqualTo(3);
    }

    @Test
    void aHeaderAnyoneCouldHaveWrittenNeverCountsBelowZero() {
        assertThat(Delivery.of(true, Map.of(Delivery.FAILED_DELIVERIES, -9)).failed()).isEqualTo(1);
        assertThat(Delivery.of(true, Map.of(Delivery.FAILED_DELIVERIES, "many")).failed()).isEqualTo(1);
        assertThat(Delivery.of(false, Map.of(Delivery.FAILED_DELIVERIES, 7L)).failed()).isEqualTo(7);
    }
}
