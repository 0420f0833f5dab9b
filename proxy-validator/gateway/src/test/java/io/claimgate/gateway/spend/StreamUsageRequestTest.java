package io.claimgate.gateway.spend;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StreamUsageRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String rewrite(String body) {
        return new String(StreamUsageRequest.withUsageRequested(body.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
    }

    @Test
    void insertsIncludeUsageKeepingEveryOtherByte() {
        String body = "{\"model\":\"gpt-4o\", \"stream\": true,\n \"temperature\": 0.10000000000000001,"
                + " \"messages\":[{\"role\":\"user\",\"content\":\"caf\\u00e9 }\"}]}\n";

        String rewritten = rewrite(body);

        assertThat(rewritten).isEqualTo("{\"model\":\"gpt-4o\", \"stream\": true,\n \"temperature\": "
                + "0.10000000000000001, \"messages\":[{\"role\":\"user\",\"content\":\"caf\\u00e9 }\"}]"
                + ",\"stream_options\":{\"include_usage\":true}}\n");
    }

    @Test
    void setsIncludeUsageInExistingStreamOptionsKeepingTheirOtherMembersAndExactNumbers() throws Exception {
        String body = "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":false,\"x\":1},"
                + "\"temperature\":0.10000000000000000555,\"max_tokens\":12345678901234567890}";

        JsonNode rewritten = JSON.readTree(rewrite(body));

        assertThat(rewritten.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(rewritten.path("stream_options").path("x").asInt()).isEqualTo(1);
        assertThat(rewrite(body)).startsWith("{\"model\":\"m\",\"stream\":true,\"stream_options\":")
                .contains("\"temperature\":0.10000000000000000555")
                .contains("\"max_tokens\":12345678901234567890");
    }

    @Test
    void addsIncludeUsageToEmptyStreamOptions() throws Exception {
        JsonNode rewritten = JSON.readTree(rewrite("{\"stream\":true,\"stream_options\":{}}"));

        assertThat(rewritten.path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"model\":\"m\",\"messages\":[]}",
        "{\"model\":\"m\",\"stream\":false}",
        "{\"model\":\"m\",\"stream\":\"true\"}",
        "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}",
        "{\"model\":\"m\",\"stream\":true,\"stream_options\":\"yes\"}",
        "{\"model\":\"m\",\"stream\":true",
        "{\"model\":\"m\",\"stream\":true} {\"extra\":1}",
        "[{\"stream\":true}]",
        "",
        "not json",
    })
    void returnsTheSameBodyWhenNothingNeedsOrCanSafelyChange(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

        assertThat(StreamUsageRequest.withUsageRequested(bytes)).isSameAs(bytes);
    }
}
