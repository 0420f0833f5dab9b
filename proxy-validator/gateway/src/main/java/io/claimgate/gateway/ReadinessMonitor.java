package io.claimgate.gateway;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Answers {@code /health/readiness} within a bound however slow a dependency is: each check runs on a background
 * thread, at most one run per check at a time; an answer waits for a fresh result up to {@link #WAIT} and otherwise
 * reports the last known one. A check that has hung for longer than {@link #STALE} is reported unavailable, so a
 * database that stops answering makes the gateway unready instead of frozen at its last good state.
 */
public final class ReadinessMonitor implements AutoCloseable {

    /** How long an answer waits for fresh results; well under the 1 s a probe allows. */
    static final Duration WAIT = Duration.ofMillis(700);
    /** How long a run may hang before its last known result no longer counts. */
    static final Duration STALE = Duration.ofSeconds(5);

    private final List<Probe> probes;
    private final ExecutorService executor;

    public ReadinessMonitor(List<ReadinessCheck> checks) {
        this.probes = checks.stream().map(Probe::new).toList();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "readiness-check");
            t.setDaemon(true);
            return t;
        });
    }

    /** Each check's name and whether it is ready, in order; completes within {@link #WAIT}, never exceptionally. */
    public CompletableFuture<Map<String, Boolean>> states() {
        List<CompletableFuture<Boolean>> results = probes.stream()
                .map(p -> p.refresh().completeOnTimeout(null, WAIT.toMillis(), TimeUnit.MILLISECONDS)
                        .thenApply(fresh -> fresh != null ? fresh : p.lastKnown()))
                .toList();
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            Map<String, Boolean> states = new LinkedHashMap<>();
            for (int i = 0; i < probes.size(); i++) {
                states.put(probes.get(i).check.name(), results.get(i).join());
            }
            return states;
        });
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** One check with its last result and its run in flight, if any. */
    private final class Probe {

        private final ReadinessCheck check;
        private boolean last;
        private CompletableFuture<Boolean> running;
        private long runningSince;

        Probe(ReadinessCheck check) {
            this.check = check;
        }

        /** A fresh result, joining the run in flight rather than starting a second one. */
        synchronized CompletableFuture<Boolean> refresh() {
            CompletableFuture<Boolean> run = running;
            if (run == null) {
                CompletableFuture<Boolean> started = CompletableFuture.supplyAsync(check::ready, executor);
                running = started;
                runningSince = System.nanoTime();
                // May complete at once, on this thread: hence the local, not the field, below.
                started.whenComplete((ok, failure) -> finished(started, Boolean.TRUE.equals(ok)));
                run = started;
            }
            // A copy, so that one caller's timeout does not complete the run for everyone.
            return run.copy();
        }

        private synchronized void finished(CompletableFuture<Boolean> run, boolean ok) {
            last = ok;
            if (running == run) {
                running = null;
            }
        }

        synchronized boolean lastKnown() {
            boolean hung = running != null && System.nanoTime() - runningSince > STALE.toNanos();
            return last && !hung;
        }
    }
}
