package io.claimgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.validator.Blocking;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link InlineFirst}: work runs where it arrived unless it must wait, then once more, whole, on a worker. */
class InlineFirstTest {

    private final ExecutorService workers = Executors.newSingleThreadExecutor(r -> new Thread(r, "worker"));
    private final InlineFirst inline = new InlineFirst(workers);
    private final List<String> runs = new ArrayList<>();

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    private void drain() throws InterruptedException {
        workers.submit(() -> { }).isDone();
        workers.shutdown();
        assertThat(workers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void workThatNeedNotWaitRunsOnceOnTheCallingThreadWithWaitingForbidden() throws Exception {
        inline.start(() -> runs.add(Thread.currentThread().getName() + " forbidden=" + Blocking.isForbidden()));
        drain();

        assertThat(runs).containsExactly(Thread.currentThread().getName() + " forbidden=true");
    }

    @Test
    void workThatWouldWaitRunsAgainFromItsStartOnAWorkerWhereItMayWait() throws Exception {
        inline.start(() -> {
            runs.add("started on " + Thread.currentThread().getName());
            Blocking.check("a database lookup");
            runs.add("looked up on " + Thread.currentThread().getName());
        });
        drain();

        String caller = Thread.currentThread().getName();
        assertThat(runs).containsExactly("started on " + caller, "started on worker", "looked up on worker");
    }

    @Test
    void aLaterStepOnAThreadThatMayWaitRunsDirectly() throws Exception {
        inline.proceed(() -> {
            Blocking.check("a Redis admission");
            runs.add("admitted on " + Thread.currentThread().getName() + " forbidden=" + Blocking.isForbidden());
        });
        drain();

        assertThat(runs).containsExactly("admitted on " + Thread.currentThread().getName() + " forbidden=false");
    }

    @Test
    void aLaterStepThatWouldWaitMovesAloneNotTheStepBeforeIt() throws Exception {
        inline.start(() -> {
            runs.add("authorized");
            inline.proceed(() -> {
                Blocking.check("a rate-limit lookup");
                runs.add("admitted on " + Thread.currentThread().getName());
            });
        });
        drain();

        assertThat(runs).containsExactly("authorized", "admitted on worker");
    }
}
