package io.claimgate.gateway.request;

import static io.claimgate.gateway.request.Refusals.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndUserHeaderTest {

    /** As the decoder hands them over, but taking raw values: blank ones too, which it trims to empty. */
    private static final DefaultHttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory()
            .withValidation(false);

    @ParameterizedTest
    @ValueSource(strings = {"x-litellm-end-user-id", "x-litellm-customer-id", "X-LiteLLM-End-User-Id"})
    void readsTheEndUserFromTheHeadersLiteLlmReadsWithoutConfiguration(String header) {
        assertThat(EndUserHeader.from(HEADERS.newHeaders().add(header, "eu"))).isEqualTo("eu");
    }

    @Test
    void findsNoEndUserWithoutTheseHeadersOrWithBlankOnes() {
        assertThat(EndUserHeader.from(HEADERS.newHeaders().add("x-user", "eu"))).isNull();
        assertThat(EndUserHeader.from(HEADERS.newHeaders().add("x-litellm-end-user-id", " "))).isNull();
    }

    @Test
    void refusesHeadersThatNameDifferentEndUsers() {
        assertBadRequest(() -> EndUserHeader.from(HEADERS.newHeaders().add("x-litellm-customer-id", "a")
                .add("x-litellm-end-user-id", "b")), "conflicting_end_users");
        assertBadRequest(() -> EndUserHeader.from(HEADERS.newHeaders().add("x-litellm-end-user-id", "a")
                .add("x-litellm-end-user-id", "b")), "conflicting_end_users");
    }

    @Test
    void acceptsHeadersThatNameTheSameEndUser() {
        assertThat(EndUserHeader.from(HEADERS.newHeaders().add("x-litellm-customer-id", "a")
                .add("x-litellm-end-user-id", "a"))).isEqualTo("a");
    }
}
