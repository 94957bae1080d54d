package dev.warden.bench;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.warden.semantic.compile.Compilation;
import dev.warden.semantic.compile.QueryCompiler;
import dev.warden.semantic.model.ModelLoad;
import dev.warden.semantic.model.ModelLoader;
import dev.warden.semantic.model.SemanticModel;
import dev.warden.semantic.policy.ConnectionRole;
import dev.warden.semantic.policy.Policy;
import dev.warden.semantic.query.Query;
import dev.warden.semantic.query.QueryParser;
import dev.warden.semantic.sql.Dialect;

/**
 * The compiler on a generated model of 200 views with access filters and grants: compiling a
 * query of 10 fields, 3 filters and 2 joins (one of which fans out), and loading the model.
 * Targets: compile median at most 50 us and at most 100 KB allocated per operation (run with
 * {@code -prof gc}, read gc.alloc.rate.norm); load and validate at most 200 ms.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class CompilerBenchmark {
    private String yaml;
    private SemanticModel model;
    private Query query;
    private String queryJson;
    private Policy policy;

    @Setup
    public void setUp() {
        yaml = GeneratedModel.yaml(200);
        ModelLoad load = ModelLoader.load(yaml);
        if (!(load instanceof ModelLoad.Loaded loaded)) {
            throw new IllegalStateException("generated model is invalid: " + ((ModelLoad.Invalid) load).problems());
        }
        model = loaded.model();
        queryJson = GeneratedModel.query(100);
        query = QueryParser.parse(queryJson);
        policy = new Policy(Map.of("region", List.of("eu", "us"), "department", List.of("finance"), "staff", List.of("true")),
                Map.of(), ConnectionRole.QUERIER);
        if (!(QueryCompiler.compile(model, query, policy, Dialect.POSTGRESQL, 100_000) instanceof Compilation.Compiled)) {
            throw new IllegalStateException("benchmark query does not compile");
        }
    }

    /** The compile step alone, on an already parsed query. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Compilation compile() {
        return QueryCompiler.compile(model, query, policy, Dialect.POSTGRESQL, 100_000);
    }

    /** Parsing the JSON body and compiling, as the query endpoint does. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Compilation parseAndCompile() {
        return QueryCompiler.compile(model, QueryParser.parse(queryJson), policy, Dialect.POSTGRESQL, 100_000);
    }

    /** Loading and validating the 200-view model from YAML text. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public ModelLoad loadModel() {
        return ModelLoader.load(yaml);
    }
}
