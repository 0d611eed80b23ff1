package dev.mlpipe.support;

import java.util.List;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Models of the v2 backend in front of {@link ScriptedV2Server}, and one whose server does not listen. */
public class RemoteModels implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(ScriptedV2Server.class));
    }
}
