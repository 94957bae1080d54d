package dev.warden.semantic.golden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.warden.semantic.Fixtures;
import dev.warden.semantic.compile.Compilation;
import dev.warden.semantic.compile.QueryCompiler;
import dev.warden.semantic.model.SemanticModel;
import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.semantic.policy.Policy;
import dev.warden.semantic.query.QueryParser;
import dev.warden.semantic.sql.Dialect;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One golden case: a file under {@code src/test/resources/golden} with a query, a policy and the
 * expected SQL and binds for every dialect, side by side. Sections start with {@code --- name}.
 */
public record GoldenCase(Path file, String description, Map<String, String> sections) {
    public static final Path DIRECTORY = Path.of("src/test/resources/golden");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, SemanticModel> MODELS = new java.util.concurrent.ConcurrentHashMap<>();

    public static List<GoldenCase> all() {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.filter(p -> p.toString().endsWith(".golden")).sorted().map(GoldenCase::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static GoldenCase read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            StringBuilder description = new StringBuilder();
            Map<String, String> sections = new LinkedHashMap<>();
            String current = null;
            StringBuilder body = new StringBuilder();
            for (String line : lines) {
                if (line.startsWith("--- ")) {
                    if (current != null) {
                        sections.put(current, body.toString().strip());
                    }
                    current = line.substring(4).strip();
                    body.setLength(0);
                } else if (current == null) {
                    description.append(line.replaceFirst("^# ?", "")).append(' ');
                } else {
                    body.append(line).append('\n');
                }
            }
            if (current != null) {
                sections.put(current, body.toString().strip());
            }
            return new GoldenCase(file, description.toString().strip(), sections);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return file.getFileName().toString().replace(".golden", "");
    }

    public SemanticModel model() {
        String name = sections.getOrDefault("model", "shop.yaml");
        return MODELS.computeIfAbsent(name, n -> Fixtures.model(Fixtures.resource("models/" + n)));
    }

    public boolean usesShopModel() {
        return sections.getOrDefault("model", "shop.yaml").equals("shop.yaml");
    }

    public Policy policy() {
        JsonNode p = JSON.readTree(sections.get("policy"));
        return new Policy(strings(p.get("attributes")), strings(p.get("defaults")),
                ConnectionRole.valueOf(p.get("role").stringValue()));
    }

    private static Map<String, List<String>> strings(JsonNode node) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (node != null) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                List<String> values = new ArrayList<>();
                e.getValue().values().forEach(v -> values.add(v.stringValue()));
                out.put(e.getKey(), values);
            }
        }
        return out;
    }

    public Clock clock() {
        return Clock.fixed(Instant.parse(sections.getOrDefault("clock", "2025-07-15T12:00:00Z")), ZoneOffset.UTC);
    }

    public Compilation compile(Dialect dialect) {
        return QueryCompiler.compile(model(), QueryParser.parse(sections.get("query")), policy(), dialect, 100_000, clock());
    }

    /** The text a dialect's section should hold: the SQL, then the binds. */
    public String actual(Dialect dialect) {
        return switch (compile(dialect)) {
            case Compilation.Compiled c -> c.sql() + "\nbinds: " + c.binds();
            case Compilation.Refused r -> "REFUSED: " + r.publicMessage();
        };
    }

    public static String sectionName(Dialect d) {
        return d.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Rewrites the dialect sections with the current output (run with -Dgolden.update=true). */
    public void update() {
        StringBuilder out = new StringBuilder();
        for (String line : description.split("(?<=\\.) ")) {
            out.append("# ").append(line).append('\n');
        }
        for (String s : List.of("model", "clock", "policy", "query")) {
            if (sections.containsKey(s)) {
                out.append("--- ").append(s).append('\n').append(sections.get(s)).append('\n');
            }
        }
        for (Dialect d : Dialect.values()) {
            out.append("--- ").append(sectionName(d)).append('\n').append(actual(d)).append('\n');
        }
        try {
            Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
