package dev.warden.semantic.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * YAML text as a tree that remembers where every node and key starts, so that validation can
 * point at the exact line and column. Jackson's own tree model forgets positions, hence this.
 */
final class YamlTree {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private YamlTree() {}

    record Pos(int line, int column) {}

    sealed interface Node permits MapNode, ListNode, ScalarNode {
        Pos pos();
    }

    record Entry(String key, Pos keyPos, Node value) {}

    record MapNode(Pos pos, Map<String, Entry> entries) implements Node {}

    record ListNode(Pos pos, List<Node> items) implements Node {}

    enum ScalarKind { STRING, NUMBER, BOOLEAN, NULL }

    record ScalarNode(Pos pos, String text, ScalarKind kind) implements Node {}

    /** Parses one document; on a syntax error reports it and returns null. Duplicate keys are reported too. */
    static Node parse(String yaml, List<ModelProblem> problems) {
        try (JsonParser p = YAML.createParser(yaml)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                problems.add(new ModelProblem(1, 1, "the model is empty", "start with 'connection:' and 'views:'"));
                return null;
            }
            Node root = read(p, problems);
            if (p.nextToken() != null) {
                Pos pos = pos(p.currentTokenLocation());
                problems.add(new ModelProblem(pos.line(), pos.column(), "more than one YAML document",
                        "a model is exactly one document: remove the '---' separator and what follows"));
            }
            return root;
        } catch (JacksonException e) {
            TokenStreamLocation loc = e.getLocation();
            Pos pos = loc == null ? new Pos(1, 1) : pos(loc);
            String message = e.getOriginalMessage() == null ? "invalid YAML" : e.getOriginalMessage();
            int nl = message.indexOf('\n');
            problems.add(new ModelProblem(pos.line(), pos.column(),
                    "invalid YAML: " + (nl > 0 ? message.substring(0, nl) : message),
                    "check indentation, colons and quoting near this place"));
            return null;
        }
    }

    private static Node read(JsonParser p, List<ModelProblem> problems) {
        JsonToken t = p.currentToken();
        Pos pos = pos(p.currentTokenLocation());
        switch (t) {
            case START_OBJECT -> {
                Map<String, Entry> entries = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                    String key = p.currentName();
                    Pos keyPos = pos(p.currentTokenLocation());
                    p.nextToken();
                    Node value = read(p, problems);
                    if (entries.containsKey(key)) {
                        problems.add(new ModelProblem(keyPos.line(), keyPos.column(), "duplicate key '" + key + "'",
                                "each key may appear once in a mapping; merge the two entries"));
                    } else {
                        entries.put(key, new Entry(key, keyPos, value));
                    }
                }
                return new MapNode(pos, entries);
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(p, problems));
                }
                return new ListNode(pos, items);
            }
            case VALUE_STRING -> {
                return new ScalarNode(pos, p.getString(), ScalarKind.STRING);
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return new ScalarNode(pos, p.getText(), ScalarKind.NUMBER);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new ScalarNode(pos, p.getText(), ScalarKind.BOOLEAN);
            }
            case VALUE_NULL -> {
                return new ScalarNode(pos, "", ScalarKind.NULL);
            }
            default -> {
                return new ScalarNode(pos, p.getText(), ScalarKind.STRING);
            }
        }
    }

    private static Pos pos(TokenStreamLocation loc) {
        return new Pos(Math.max(1, loc.getLineNr()), Math.max(1, loc.getColumnNr()));
    }
}
