package io.claimgate.gateway.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.claimgate.gateway.support.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class DemoUpstreamIT {

    @Test
    void answersChatCompletionsWithTheIdentityTheGatewaySent() throws Exception {
        try (DemoUpstream upstream = new DemoUpstream("127.0.0.1", 0).start()) {
            Http http = new Http(URI.create("http://127.0.0.1:" + upstream.port()));

            HttpResponse<String> response = http.send(http.request("/v1/chat/completions")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"gpt-4o\"}"))
                    .header("X-Auth-Request-Team", "research"));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(Http.json(response).at("/choices/0/message/content").asText())
                    .contains("team=research").contains("gpt-4o").contains("DEMO");
        }
    }

    @Test
    void streamsChunksEndingWithDone() throws Exception {
        try (DemoUpstream upstream = new DemoUpstream("127.0.0.1", 0).start()) {
            Http http = new Http(URI.create("http://127.0.0.1:" + upstream.port()));

            HttpResponse<String> response = http.post("/chat/completions", null,
                    "{\"model\": \"gpt-4o\", \"stream\": true}");

            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
            assertThat(response.body()).startsWith("data: {").contains("chat.completion.chunk")
                    .endsWith("data: [DONE]\n\n");
        }
    }
}
