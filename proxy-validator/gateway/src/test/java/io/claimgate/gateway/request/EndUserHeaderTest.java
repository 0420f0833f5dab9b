package io.claimgate.gateway.request;

import static io.claimgate.gateway.request.Refusals.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndUserHeaderTest {

    @ParameterizedTest
    @ValueSource(strings = {"x-litellm-end-user-id", "x-litellm-customer-id", "X-LiteLLM-End-User-Id"})
    void readsTheEndUserFromTheHeadersLiteLlmReadsWithoutConfiguration(String header) {
        assertThat(EndUserHeader.from(HttpFields.build().add(header, "eu"))).isEqualTo("eu");
    }

    @Test
    void findsNoEndUserWithoutTheseHeadersOrWithBlankOnes() {
        assertThat(EndUserHeader.from(HttpFields.build().add("x-user", "eu"))).isNull();
        assertThat(EndUserHeader.from(HttpFields.build().add("x-litellm-end-user-id", " "))).isNull();
    }

    @Test
    void refusesHeadersThatNameDifferentEndUsers() {
        assertBadRequest(() -> EndUserHeader.from(HttpFields.build().add("x-litellm-customer-id", "a")
                .add("x-litellm-end-user-id", "b")), "conflicting_end_users");
        assertBadRequest(() -> EndUserHeader.from(HttpFields.build().add("x-litellm-end-user-id", "a")
                .add("x-litellm-end-user-id", "b")), "conflicting_end_users");
    }

    @Test
    void acceptsHeadersThatNameTheSameEndUser() {
        assertThat(EndUserHeader.from(HttpFields.build().add("x-litellm-customer-id", "a")
                .add("x-litellm-end-user-id", "a"))).isEqualTo("a");
    }
}
