package io.claimgate.validator.token;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FetchBudgetTest {

    @Test
    void grantsTwoPermitsPerWindowAndRefillsAsTheWindowSlides() {
        FetchBudget budget = new FetchBudget(2, 30_000);

        assertThat(budget.tryAcquire(0)).isTrue();
        assertThat(budget.tryAcquire(10_000)).isTrue();
        assertThat(budget.tryAcquire(20_000)).isFalse();
        assertThat(budget.tryAcquire(29_999)).isFalse();
        assertThat(budget.tryAcquire(30_000)).isTrue();
        assertThat(budget.tryAcquire(30_001)).isFalse();
        assertThat(budget.tryAcquire(40_000)).isTrue();
    }
}
