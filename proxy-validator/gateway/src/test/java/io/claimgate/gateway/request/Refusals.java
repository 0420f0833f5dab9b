package io.claimgate.gateway.request;

import io.claimgate.gateway.http.HttpError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.gateway.http.JsonResponses;
import io.claimgate.validator.AuthException;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Asserts a refusal is a 400 in LiteLLM's error shape, as the gateway writes it. */
final class Refusals {

    private Refusals() {
    }

    static HttpError assertBadRequest(ThrowingCallable call, String reason) {
        HttpError[] caught = new HttpError[1];
        assertThatThrownBy(call).isInstanceOfSatisfying(HttpError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.reason()).isEqualTo(reason);
            caught[0] = e;
        });
        Map<String, Object> body = JsonResponses.errorBody(caught[0]);
        assertThat(body).containsOnlyKeys("error");
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) body.get("error");
        assertThat(error)
                .containsOnlyKeys("message", "type", "param", "code")
                .containsEntry("type", "bad_request_error")
                .containsEntry("code", "400")
                .extractingByKey("message").asString().isNotBlank();
        return caught[0];
    }
}
