package dev.meshpilot.policy.bench;

import dev.meshpilot.policy.CompileResult;
import dev.meshpilot.policy.MeshCompiler;
import dev.meshpilot.policy.SourceFile;
import java.util.List;
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

/** Parse, analyze and compile 10,000 resources (Deployments, Services, DestinationRules, VirtualServices). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
public class CompileBenchmark {
    private List<SourceFile> files;

    @Setup
    public void setUp() {
        files = MeshGenerator.mixed(10_000);
    }

    @Benchmark
    public CompileResult compile10k() {
        return MeshCompiler.compile("bench", files);
    }
}
