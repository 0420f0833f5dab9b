package io.claimgate.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * One JMH run of every comparison, with 1 and with 2 threads, allocation per operation from {@code -prof gc}, written
 * as a tab-separated file that {@link BenchmarkReport} turns into {@code docs/benchmarks.md}.
 *
 * <p>{@code java -cp benchmarks.jar io.claimgate.benchmarks.BenchmarkSuite OUT.tsv [warmups iterations seconds]};
 * the defaults (3 warm-ups, 5 measurements of 2 s, one fork) keep the whole run near ten minutes on two cores.
 */
public final class BenchmarkSuite {

    /** The comparisons: run with 1 and 2 threads. */
    static final String COMPARED = "\\.(ClaimgateVerification|Authenticate|PeerVerification)Benchmark\\.";
    /** Where the time goes: single-threaded only. */
    static final String BREAKDOWN = "\\.(SignatureBreakdown|ParsingBreakdown)Benchmark\\.";

    private BenchmarkSuite() {
    }

    public static void main(String[] args) throws RunnerException, IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "jmh-results.tsv");
        int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 2;

        List<String> rows = new ArrayList<>();
        rows.add("class\tmethod\tparam\tthreads\tops_per_s\terror\talloc_bytes_per_op");
        for (int threads : new int[] {1, 2}) {
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .include(COMPARED)
                    .threads(threads)
                    .forks(1)
                    .warmupIterations(warmups)
                    .warmupTime(TimeValue.seconds(seconds))
                    .measurementIterations(iterations)
                    .measurementTime(TimeValue.seconds(seconds))
                    .timeUnit(TimeUnit.SECONDS)
                    .jvmArgsAppend("-Xms1g", "-Xmx1g")
                    .addProfiler(GCProfiler.class);
            if (threads == 1) {
                options.include(BREAKDOWN);
            }
            for (RunResult result : new Runner(options.build()).run()) {
                rows.add(row(result, threads));
            }
        }
        Files.write(out, rows);
    }

    private static String row(RunResult result, int threads) {
        String benchmark = result.getParams().getBenchmark();
        String[] parts = benchmark.split("\\.");
        String param = result.getParams().getParamsKeys().isEmpty() ? "-"
                : String.join(",", result.getParams().getParamsKeys().stream()
                        .map(result.getParams()::getParam).toList());
        Result<?> primary = result.getPrimaryResult();
        double alloc = Double.NaN;
        for (Map.Entry<String, Result> secondary : result.getSecondaryResults().entrySet()) {
            if (secondary.getKey().endsWith("gc.alloc.rate.norm")) {
                alloc = secondary.getValue().getScore();
            }
        }
        return String.format(Locale.ROOT, "%s\t%s\t%s\t%d\t%.1f\t%.1f\t%.1f", parts[parts.length - 2],
                parts[parts.length - 1], param, threads, primary.getScore(), primary.getScoreError(), alloc);
    }
}
