package io.claimgate.gateway.limits;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading a team's {@code metadata.model_rpm_limit} / {@code model_tpm_limit} as LiteLLM reads them. */
class ModelLimitsTest {

    @Test
    void limitsANamedModelUnderLiteLlmsModelPerTeamDescriptor() {
        // given LiteLLM's team metadata for one model
        ModelLimits limits = ModelLimits.fromMetadata("{\"gpt-4o\": 10}", "{\"gpt-4o\": 20000}");

        // when the request names that model
        RateLimit limit = limits.limitOf("team-1", "gpt-4o");

        // then both of its limits apply, counted under team:model
        assertThat(limit).isEqualTo(new RateLimit(LimitScope.MODEL_PER_TEAM, "team-1:gpt-4o", 10L, 20000L, null));
        assertThat(limits.hasUnreadableLimits()).isFalse();
    }

    @Test
    void leavesAModelTheTeamDoesNotNameUnlimited() {
        ModelLimits limits = ModelLimits.fromMetadata("{\"gpt-4o\": 10}", null);

        assertThat(limits.limitOf("team-1", "gpt-4o-mini")).isNull();
        assertThat(limits.limitOf("team-1", null)).isNull();
    }

    @Test
    void matchesModelNamesExactlyAsLiteLlmsDictionaryLookupDoes() {
        ModelLimits limits = ModelLimits.fromMetadata("{\"gpt-4o\": 10}", null);

        assertThat(limits.limitOf("team-1", "GPT-4o")).isNull();
        assertThat(limits.limitOf("team-1", "gpt-4o ")).isNull();
    }

    @Test
    void limitsOnlyTheKindAModelIsNamedIn() {
        // given a model with a token limit only, another with a request limit only
        ModelLimits limits = ModelLimits.fromMetadata("{\"a\": 5}", "{\"b\": 100}");

        // then each is limited in its own kind and not in the other
        assertThat(limits.limitOf("t", "a")).isEqualTo(new RateLimit(LimitScope.MODEL_PER_TEAM, "t:a", 5L, null, null));
        assertThat(limits.limitOf("t", "b")).isEqualTo(new RateLimit(LimitScope.MODEL_PER_TEAM, "t:b", null, 100L,
                null));
    }

    @Test
    void readsNumbersAndNumericStringsAsLiteLlmsIntDoes() {
        ModelLimits limits = ModelLimits.fromMetadata("{\"decimal\": 7.9, \"text\": \" 12 \", \"negative\": -3}",
                null);

        assertThat(limits.limitOf("t", "decimal").requestsPerMinute()).isEqualTo(7L);
        assertThat(limits.limitOf("t", "text").requestsPerMinute()).isEqualTo(12L);
        assertThat(limits.limitOf("t", "negative").requestsPerMinute()).isZero();
        assertThat(limits.hasUnreadableLimits()).isFalse();
    }

    @Test
    void readsANullLimitAsNoLimitOfThatKind() {
        ModelLimits limits = ModelLimits.fromMetadata("{\"gpt-4o\": null}", null);

        RateLimit limit = limits.limitOf("t", "gpt-4o");

        assertThat(limit.limitsAnything()).isFalse();
    }

    @Test
    void readsAnUnreadableLimitAsZeroSoTheModelIsRefusedRatherThanUnlimited() {
        ModelLimits limits = ModelLimits.fromMetadata("{\"gpt-4o\": \"ten\", \"other\": true}", "{\"gpt-4o\": [1]}");

        assertThat(limits.limitOf("t", "gpt-4o")).isEqualTo(new RateLimit(LimitScope.MODEL_PER_TEAM, "t:gpt-4o", 0L,
                0L, null));
        assertThat(limits.limitOf("t", "other").requestsPerMinute()).isZero();
        assertThat(limits.hasUnreadableLimits()).isTrue();
    }

    @Test
    void limitsEveryModelToZeroWhenTheMapItselfIsNotAMap() {
        // given a model_rpm_limit that is a number, not a map of models
        ModelLimits limits = ModelLimits.fromMetadata("100", null);

        // then no model can pass rather than every model passing unlimited
        assertThat(limits.limitOf("t", "any-model").requestsPerMinute()).isZero();
        assertThat(limits.hasUnreadableLimits()).isTrue();
    }

    @Test
    void aTeamWithoutModelLimitsLimitsNothing() {
        assertThat(ModelLimits.fromMetadata(null, null).limitOf("t", "gpt-4o")).isNull();
        assertThat(ModelLimits.fromMetadata("null", "null").limitOf("t", "gpt-4o")).isNull();
        assertThat(ModelLimits.fromMetadata("{}", "{}").limitOf("t", "gpt-4o")).isNull();
    }
}
