package io.claimgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.claimgate.gateway.http.HttpError;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestFieldsTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsModelAndUserFromAJsonBody() {
        RequestFields fields = RequestFields.of("/chat/completions", "application/json",
                bytes("{\"messages\": [], \"model\": \"gpt-4o\", \"user\": \"cust-1\"}"));

        assertThat(fields).isEqualTo(new RequestFields("gpt-4o", "cust-1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", ""})
    void readsJsonWhateverTheContentTypeAsLiteLlmDoes(String contentType) {
        RequestFields fields = RequestFields.of("/chat/completions", contentType, bytes("  {\"model\": \"claude\"}"));

        assertThat(fields.model()).isEqualTo("claude");
    }

    @ParameterizedTest
    @CsvSource({
        "/engines/gpt-4o/chat/completions, gpt-4o",
        "/v1/engines/text-davinci/completions, text-davinci",
        "/openai/deployments/azure/gpt-4/chat/completions, azure/gpt-4",
        "/openai/deployments/ada/embeddings, ada",
    })
    void letsThePathModelWinOverTheBodyAsLiteLlmDoes(String route, String model) {
        RequestFields fields = RequestFields.of(route, "application/json", bytes("{\"model\": \"other\"}"));

        assertThat(fields.model()).isEqualTo(model);
    }

    @Test
    void readsModelAndUserFromMultipartFieldsButNotFromFiles() {
        String body = "--xyz\r\nContent-Disposition: form-data; name=\"model\"; filename=\"model\"\r\n\r\nfake\r\n"
                + "--xyz\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n"
                + "--xyz\r\nContent-Disposition: form-data; name=\"user\"\r\n\r\ncust-2\r\n--xyz--\r\n";

        RequestFields fields = RequestFields.of("/v1/audio/transcriptions", "multipart/form-data; boundary=xyz",
                bytes(body));

        assertThat(fields).isEqualTo(new RequestFields("whisper-1", "cust-2"));
    }

    @Test
    void findsNoModelInAnEmptyOrBinaryBody() {
        assertThat(RequestFields.of("/chat/completions", null, new byte[0])).isEqualTo(RequestFields.NONE);
        assertThat(RequestFields.of("/v1/files", "application/octet-stream", new byte[] {1, 2, 3}))
                .isEqualTo(RequestFields.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"model\": ", "{\"model\": 42}", "{\"model\": [\"a\"]}", "{\"user\": {}}"})
    void refusesJsonItCannotReadTheModelOrUserFrom(String body) {
        assertThatThrownBy(() -> RequestFields.of("/chat/completions", "application/json", bytes(body)))
                .isInstanceOfSatisfying(HttpError.class, e -> assertThat(e.status()).isEqualTo(400));
    }
}
