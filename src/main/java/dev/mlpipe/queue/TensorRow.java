package dev.mlpipe.queue;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The payload of an item for a tensor model: one row of the model's input, flat and row-major, or a dataset row that
 * could not be read, which the model stage fails with its reason in its place, so the run accounts for it as for any.
 * Through a broker it travels in its item's JSON, its kind named, its values as {@link Float32Bytes}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({ @JsonSubTypes.Type(value = TensorRow.Values.class, name = "values"),
        @JsonSubTypes.Type(value = TensorRow.Unreadable.class, name = "unreadable") })
public sealed interface TensorRow {

    /** The row's index: its dataset row, or its place among the run's random or listed rows, from 0. */
    long row();

    /** @param label the dataset's label for the row; null when it has none */
    @RegisterForReflection // in an item's JSON through a broker
    record Values(long row, @JsonSerialize(converter = Float32Bytes.Writer.class)
            @JsonDeserialize(converter = Float32Bytes.Reader.class) float[] values, String label) implements TensorRow {
    }

    @RegisterForReflection // in an item's JSON through a broker
    record Unreadable(long row, String reason) implements TensorRow {
    }
}
