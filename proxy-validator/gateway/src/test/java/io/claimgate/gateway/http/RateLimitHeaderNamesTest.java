package io.claimgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.gateway.limits.LimitScope;
import io.claimgate.gateway.limits.RateLimitHeader;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

/** The names prepared once are LiteLLM's, and writing them replaces what the upstream sent under the same name. */
class RateLimitHeaderNamesTest {

    @Test
    void namesEachScopesHeadersAsLiteLlmDoes() {
        assertThat(name(LimitScope.TEAM, RateLimitHeader.REMAINING_REQUESTS))
                .isEqualTo("x-ratelimit-team-remaining-requests");
        assertThat(name(LimitScope.MODEL_PER_TEAM, RateLimitHeader.LIMIT_TOKENS))
                .isEqualTo("x-ratelimit-model_per_team-limit-tokens");
        assertThat(name(null, RateLimitHeader.REMAINING_TOKENS)).isEqualTo("x-ratelimit-remaining-tokens");
        for (LimitScope scope : LimitScope.values()) {
            for (RateLimitHeader header : RateLimitHeader.values()) {
                assertThat(name(scope, header)).isEqualTo(header.name(scope));
            }
        }
    }

    private static String name(LimitScope scope, RateLimitHeader header) {
        return RateLimitHeaderNames.name(scope, header).toString();
    }

    @Test
    void replacesTheUpstreamsHeaderOfTheSameName() {
        HttpHeaders answer = new DefaultHttpHeaders();
        // A LiteLLM upstream answers with its own limits, for the gateway's key, which would mislead the caller.
        answer.add("X-RateLimit-Remaining-Requests", "99");
        answer.add("content-type", "application/json");

        RateLimitHeader.Sink sink = RateLimitHeaderNames.into(answer);
        sink.header(null, RateLimitHeader.REMAINING_REQUESTS, 4);
        sink.header(LimitScope.USER, RateLimitHeader.LIMIT_REQUESTS, 10);

        assertThat(answer.getAll("x-ratelimit-remaining-requests")).containsExactly("4");
        assertThat(answer.get("x-ratelimit-user-limit-requests")).isEqualTo("10");
        assertThat(answer.get("content-type")).isEqualTo("application/json");
    }
}
