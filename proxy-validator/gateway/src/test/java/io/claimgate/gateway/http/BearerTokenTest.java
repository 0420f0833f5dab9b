package io.claimgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.validator.AuthException;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BearerTokenTest {

    /** As the decoder hands them over, but taking raw values: blank ones too, which it trims to empty. */
    private static final DefaultHttpHeadersFactory HEADERS = DefaultHttpHeadersFactory.headersFactory()
            .withValidation(false);

    private static HttpHeaders headers(String... namesAndValues) {
        HttpHeaders fields = HEADERS.newHeaders();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    @ParameterizedTest
    @CsvSource({
        "Authorization, Bearer tok",
        "Authorization, bearer tok",
        "Authorization, BEARER   tok  ",
        "x-litellm-api-key, Bearer tok",
        "x-litellm-api-key, tok",
        "api-key, tok",
        "x-api-key, tok",
        "x-goog-api-key, tok",
        "Ocp-Apim-Subscription-Key, tok",
        "X-API-KEY, tok",
    })
    void readsTheCredentialFromEveryHeaderLiteLlmReadsAKeyFrom(String header, String value) {
        assertThat(BearerToken.from(headers(header, value))).isEqualTo("tok");
    }

    @Test
    void findsNoCredentialWithoutAnyOfTheseHeaders() {
        assertThat(BearerToken.from(headers("Cookie", "session=tok", "x-other-key", "tok"))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic dXNlcjpwYXNz", "Token tok", "Bearer", "Bearer   ", "tok"})
    void findsNoCredentialInAnAuthorizationHeaderWithoutABearerToken(String value) {
        assertThat(BearerToken.from(headers("Authorization", value))).isNull();
    }

    @Test
    void keepsABearerPrefixInHeadersWhoseClientsSendTheBareKey() {
        // Anthropic clients send x-api-key as is; LiteLLM does not strip a scheme from it either.
        assertThat(BearerToken.from(headers("x-api-key", "Bearer tok"))).isEqualTo("Bearer tok");
    }

    @Test
    void refusesTwoDifferentCredentialsInTwoHeaders() {
        assertThatThrownBy(() -> BearerToken.from(headers("Authorization", "Bearer tok-AAA", "x-api-key", "tok-BBB")))
                .isInstanceOfSatisfying(HttpError.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.reason()).isEqualTo("conflicting_credentials");
                    assertThat(e.type().wireValue()).isEqualTo("bad_request_error");
                    assertThat(e.getMessage()).doesNotContain("tok-AAA").doesNotContain("tok-BBB");
                });
    }

    @Test
    void refusesOneHeaderRepeatedWithDifferentCredentials() {
        assertThatThrownBy(() -> BearerToken.from(headers("x-litellm-api-key", "one", "x-litellm-api-key", "two")))
                .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void acceptsTheSameCredentialInSeveralHeaders() {
        HttpHeaders both = headers("Authorization", "Bearer tok", "x-litellm-api-key", "Bearer tok", "api-key", "tok");

        assertThat(BearerToken.from(both)).isEqualTo("tok");
    }

    @Test
    void ignoresAnAuthorizationHeaderOfAnotherSchemeBesideACredential() {
        assertThat(BearerToken.from(headers("Authorization", "Basic abc", "x-api-key", "tok"))).isEqualTo("tok");
    }

    @Test
    void listsEveryCredentialHeaderSoThatNoneIsForwarded() {
        assertThat(BearerToken.HEADERS).containsExactlyInAnyOrder("authorization", "x-litellm-api-key", "api-key",
                "x-api-key", "x-goog-api-key", "ocp-apim-subscription-key");
    }

    /** {@code general_settings.litellm_key_header_name}, as LiteLLM's get_api_key_from_custom_header reads it. */
    @Nested
    class CustomKeyHeader {

        private final BearerToken credentials = BearerToken.reading("X-Litellm-Key");

        @ParameterizedTest
        @CsvSource({
            "X-Litellm-Key, Bearer tok",
            "x-litellm-key, bearer tok",
            "X-LITELLM-KEY, Bearer   tok ",
        })
        void readsTheKeyFromTheConfiguredHeaderInAnyCase(String header, String value) {
            assertThat(credentials.read(headers(header, value))).isEqualTo("tok");
        }

        @Test
        void findsNoKeyInTheConfiguredHeaderWithoutTheBearerScheme() {
            // LiteLLM's _get_bearer_token gives "" for a bare value: the caller is then unauthenticated.
            assertThat(credentials.read(headers("X-Litellm-Key", "tok"))).isNull();
        }

        @Test
        void stillReadsLiteLlmsBuiltInHeaders() {
            assertThat(credentials.read(headers("Authorization", "Bearer tok"))).isEqualTo("tok");
            assertThat(credentials.read(headers("x-api-key", "tok"))).isEqualTo("tok");
        }

        @Test
        void refusesADifferentKeyInAuthorizationWith400() {
            // LiteLLM's own docs send "X-Litellm-Key: Bearer sk-1234" with "Authorization: Bearer bad-key" and use
            // the first; the gateway strips both, so which one the caller meant is refused rather than guessed.
            assertThatThrownBy(() -> credentials.read(headers("Authorization", "Bearer bad-key",
                    "X-Litellm-Key", "Bearer tok")))
                    .isInstanceOfSatisfying(HttpError.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.reason()).isEqualTo("conflicting_credentials");
                        assertThat(e.getMessage()).contains("x-litellm-key").contains("authorization")
                                .doesNotContain("tok").doesNotContain("bad-key");
                    });
        }

        @Test
        void acceptsTheSameKeyInAuthorizationAndTheConfiguredHeader() {
            assertThat(credentials.read(headers("Authorization", "Bearer tok", "X-Litellm-Key", "Bearer tok")))
                    .isEqualTo("tok");
        }

        @Test
        void listsTheConfiguredHeaderAmongThoseNeverForwarded() {
            assertThat(credentials.headers()).containsExactlyInAnyOrder("x-litellm-key", "authorization",
                    "x-litellm-api-key", "api-key", "x-api-key", "x-goog-api-key", "ocp-apim-subscription-key");
        }

        @Test
        void namingABuiltInHeaderAddsNothingAndKeepsThatHeadersRules() {
            BearerToken builtIn = BearerToken.reading("X-LiteLLM-API-Key");

            assertThat(builtIn.headers()).containsExactlyInAnyOrderElementsOf(BearerToken.HEADERS);
            assertThat(builtIn.read(headers("x-litellm-api-key", "tok"))).isEqualTo("tok");
        }

        @Test
        void readsOnlyTheBuiltInHeadersWhenNoneIsConfigured() {
            assertThat(BearerToken.reading(null)).isSameAs(BearerToken.BUILT_IN);
            assertThat(BearerToken.BUILT_IN.read(headers("X-Litellm-Key", "Bearer tok"))).isNull();
        }
    }
}
