package dev.mlpipe.broker;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * One outgoing channel's messages the broker did not confirm, by why: each is sent again, an api's item by its
 * {@link BrokerQueue} (a {@code drop} or {@code fail} loader's item is refused to its loader instead), a worker's
 * results by handing their items back to the broker's queue, to be run again. {@link BrokerPublisher} shows them as
 * {@code mlpipe_broker_resends_total{channel,reason}}.
 */
final class Resends {

    enum Reason {
        /** The broker said no: its queue was full. */
        REFUSED("refused"),
        /** No confirm within {@code mlpipe.broker.confirm-timeout}. */
        TIMED_OUT("timed-out"),
        /** Its channel closed before the confirm came: the broker may or may not have it. */
        CHANNEL_CLOSED("channel-closed"),
        /** It could not be published at all (no channel, the broker away). */
        NOT_SENT("not-sent");

        final String label;

        Reason(String label) {
            this.label = label;
        }
    }

    private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);

    Resends() {
        for (Reason reason : Reason.values()) {
            counts.put(reason, new LongAdder());
        }
    }

    void counted(Reason reason) {
        counts.get(reason).increment();
    }

    long count(Reason reason) {
        return counts.get(reason).sum();
    }
}
