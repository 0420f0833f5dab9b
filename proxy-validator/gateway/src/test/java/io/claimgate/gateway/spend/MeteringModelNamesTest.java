package io.claimgate.gateway.spend;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.gateway.config.SpendConfig;
import io.claimgate.gateway.limits.RateLimiter;
import org.junit.jupiter.api.Test;

/** {@link Metering#modelName}: one shared copy of each model name for the records waiting for a flush, bounded. */
class MeteringModelNamesTest {

    private final Metering metering = new Metering(SpendConfig.defaults(), RateLimiter.withDefaults(), null, null,
            null);

    @Test
    void sharesOneCopyOfEachName() {
        String first = metering.modelName(new String("gpt-4o-mini"));

        String again = metering.modelName(new String("gpt-4o-mini"));

        assertThat(again).isSameAs(first).isEqualTo("gpt-4o-mini");
        assertThat(metering.modelName(null)).isNull();
    }

    @Test
    void keepsALongNameAsItCameAndRemembersNoMoreThanAThousand() {
        String longName = "m".repeat(257);
        assertThat(metering.modelName(longName)).isSameAs(longName);
        assertThat(metering.modelName(new String(longName))).as("not shared").isNotSameAs(longName);

        for (int i = 0; i < 1_000; i++) {
            metering.modelName("model-" + i);
        }
        String late = new String("model-late");
        assertThat(metering.modelName(late)).isSameAs(late);
        assertThat(metering.modelName(new String("model-late"))).as("past the bound nothing more is remembered")
                .isNotSameAs(late);
        String early = metering.modelName(new String("model-7"));
        assertThat(metering.modelName(new String("model-7"))).isSameAs(early);
    }
}
