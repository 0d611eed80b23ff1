package dev.mlpipe.serve;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.mlpipe.model.LoadedModel;
import dev.mlpipe.model.Models;
import jakarta.inject.Singleton;

/** Every model as the v2 server serves it, made once: its metadata does not change while it runs. */
@Singleton
public class ServedModels {

    private final Map<String, ServedModel> byName = new LinkedHashMap<>();

    ServedModels(Models models) {
        for (LoadedModel model : models.all()) {
            byName.put(model.name(), ServedModel.of(model));
        }
    }

    public Optional<ServedModel> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }
}
