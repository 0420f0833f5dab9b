package io.claimgate.gateway.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.claimgate.gateway.support.Http;
import java.io.IOException;
import java.net.http.HttpResponse;

/** Assertions on LiteLLM's error shape {@code {"error": {"message", "type", "param", "code"}}}. */
final class ErrorResponses {

    private ErrorResponses() {
    }

    /**
     * Asserts the status, the JSON content type, all four fields (code = the status as text, as LiteLLM) and that
     * nothing of a stack trace leaks; returns the {@code error} object for further checks.
     */
    static JsonNode assertError(HttpResponse<String> response, int status, String type) throws IOException {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode error = Http.json(response).path("error");
        assertThat(error.isObject()).as("error object in %s", response.body()).isTrue();
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("type").asText()).isEqualTo(type);
        assertThat(error.has("param")).isTrue();
        assertThat(error.path("code").asText()).isEqualTo(Integer.toString(status));
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at io.");
        return error;
    }
}
