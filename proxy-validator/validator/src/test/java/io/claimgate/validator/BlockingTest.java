package io.claimgate.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** {@link Blocking}: waiting is forbidden exactly inside {@link Blocking#forbidden}, on the thread that asked. */
class BlockingTest {

    @Test
    void aPlaceThatWouldWaitThrowsOnlyWhileWaitingIsForbidden() {
        assertThatCode(() -> Blocking.check("a lookup")).doesNotThrowAnyException();

        assertThatThrownBy(() -> Blocking.forbidden(() -> Blocking.check("a lookup")))
                .isInstanceOf(Blocking.WouldBlockException.class)
                .hasMessageContaining("a lookup");

        assertThat(Blocking.isForbidden()).as("forbidden only for the work's duration").isFalse();
        assertThatCode(() -> Blocking.check("a lookup")).doesNotThrowAnyException();
    }

    @Test
    void nothingAfterTheWaitingPlaceRuns() {
        AtomicBoolean after = new AtomicBoolean();

        assertThatThrownBy(() -> Blocking.forbidden(() -> {
            Blocking.check("a key fetch");
            after.set(true);
        })).isInstanceOf(Blocking.WouldBlockException.class);

        assertThat(after).isFalse();
    }

    @Test
    void nestedWorkLeavesTheOuterScopeForbidden() {
        Boolean[] inner = new Boolean[2];

        Blocking.forbidden(() -> {
            Blocking.forbidden(() -> inner[0] = Blocking.isForbidden());
            inner[1] = Blocking.isForbidden();
        });

        assertThat(inner).containsExactly(true, true);
        assertThat(Blocking.isForbidden()).isFalse();
    }

    @Test
    void anotherThreadMayStillWait() throws Exception {
        Throwable[] seen = new Throwable[1];
        Blocking.forbidden(() -> {
            Thread other = new Thread(() -> {
                try {
                    Blocking.check("a lookup on a worker");
                } catch (Throwable t) {
                    seen[0] = t;
                }
            });
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        assertThat(seen[0]).isNull();
    }

    @Test
    void theExceptionIsRoutineAndCarriesNoStackTrace() {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> Blocking.forbidden(() -> Blocking.check("a lookup")));

        assertThat(thrown.getStackTrace()).isEmpty();
    }
}
