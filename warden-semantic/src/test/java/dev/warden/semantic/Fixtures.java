package dev.warden.semantic;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.warden.semantic.model.ModelLoad;
import dev.warden.semantic.model.ModelLoader;
import dev.warden.semantic.model.SemanticModel;
import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.semantic.policy.Policy;

/** Shared test inputs: models from resources and policies. */
public final class Fixtures {
    private Fixtures() {}

    public static String resource(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads a model that must be valid, failing with its problems otherwise. */
    public static SemanticModel model(String yaml) {
        ModelLoad load = ModelLoader.load(yaml);
        return switch (load) {
            case ModelLoad.Loaded l -> l.model();
            case ModelLoad.Invalid i -> throw new AssertionError("model is invalid: " + i.problems());
        };
    }

    public static SemanticModel exampleModel() {
        return model(resource("models/model-md-example.yaml"));
    }

    public static SemanticModel shopModel() {
        return model(resource("models/shop.yaml"));
    }

    public static Policy policy(ConnectionRole role, Map<String, List<String>> attributes) {
        return new Policy(attributes, Map.of(), role);
    }

    public static Policy querier(Map<String, List<String>> attributes) {
        return policy(ConnectionRole.QUERIER, attributes);
    }
}
