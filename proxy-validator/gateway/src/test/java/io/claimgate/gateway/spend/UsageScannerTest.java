package io.claimgate.gateway.spend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class UsageScannerTest {

    private static Optional<Usage> scan(String contentType, String answer) {
        UsageScanner scanner = UsageScanner.forContentType(contentType);
        scanner.feed(ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8)));
        return scanner.usage();
    }

    /** Feeds the answer in pieces split at {@code at}, to prove a split anywhere changes nothing. */
    private static Optional<Usage> scanSplit(String contentType, String answer, int at) {
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        UsageScanner scanner = UsageScanner.forContentType(contentType);
        scanner.feed(bytes, 0, at);
        scanner.feed(ByteBuffer.wrap(bytes, at, bytes.length - at));
        return scanner.usage();
    }

    @Nested
    class JsonAnswers {

        @Test
        void readsOpenAiChatCompletionUsage() {
            String answer = """
                    {"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o-mini",
                     "choices":[{"index":0,"message":{"role":"assistant","content":"Hi \\"there\\" {usage}"},
                     "finish_reason":"stop"}],
                     "usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19,
                      "prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":2}}}
                    """;

            assertThat(scan("application/json", answer)).contains(new Usage(12, 7, 19));
        }

        @Test
        void readsEmbeddingUsageWithoutCompletionTokens() {
            String answer = """
                    {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,-0.2,3e-5]}],
                     "model":"text-embedding-3-small","usage":{"prompt_tokens":8,"total_tokens":8}}""";

            assertThat(scan("application/json; charset=utf-8", answer)).contains(new Usage(8, 0, 8));
        }

        @Test
        void readsResponsesApiUsage() {
            String answer = """
                    {"id":"resp_1","object":"response","output":[{"type":"message","content":[{"type":"output_text",
                     "text":"ok"}]}],"usage":{"input_tokens":36,"input_tokens_details":{"cached_tokens":0},
                     "output_tokens":87,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":123}}""";

            assertThat(scan("application/json", answer)).contains(new Usage(36, 87, 123));
        }

        @Test
        void readsAnthropicMessagesUsageCountingCacheTokensAsPrompt() {
            String answer = """
                    {"id":"msg_1","type":"message","role":"assistant","content":[{"type":"text","text":"Hello"}],
                     "model":"claude-sonnet-4","stop_reason":"end_turn",
                     "usage":{"input_tokens":10,"cache_creation_input_tokens":5,"cache_read_input_tokens":20,
                      "output_tokens":30}}""";

            assertThat(scan("application/json", answer)).contains(new Usage(35, 30, 65));
        }

        @Test
        void reportsNothingForAnAnswerWithoutUsage() {
            assertThat(scan("application/json", "{\"error\":{\"message\":\"bad\",\"code\":\"400\"}}")).isEmpty();
            assertThat(scan("application/json", "{\"usage\":null}")).isEmpty();
        }

        @Test
        void ignoresUsageThatIsNotWhereUpstreamsPutIt() {
            String answer = """
                    {"choices":[{"message":{"usage":{"prompt_tokens":999}}}],
                     "metadata":{"usage":{"prompt_tokens":999}},"data":[{"usage":{"total_tokens":999}}]}""";

            assertThat(scan("application/json", answer)).isEmpty();
        }

        @Test
        void ignoresUsageWrittenInsideAString() {
            String answer = "{\"choices\":[{\"text\":\"{\\\"usage\\\":{\\\"prompt_tokens\\\":999}}\"}]}";

            assertThat(scan("application/json", answer)).isEmpty();
        }

        @Test
        void ignoresCountsThatAreNotWholeNonNegativeNumbers() {
            String answer = "{\"usage\":{\"prompt_tokens\":-5,\"completion_tokens\":1.5,\"total_tokens\":\"9\"}}";

            assertThat(scan("application/json", answer)).contains(new Usage(0, 0, 0));
        }

        @Test
        void survivesMalformedAnswersWithoutThrowing() {
            assertThat(scan("application/json", "}}]]{\"usage\":")).isEmpty();
            assertThat(scan("application/json", "not json at all \u0000\u00ff")).isEmpty();
        }

        @Test
        void findsTheSameUsageWhereverTheAnswerIsSplit() {
            String answer = "{\"id\":\"x\",\"choices\":[{\"message\":{\"content\":\"a\\\\\\\"b\"}}],"
                    + "\"usage\":{\"prompt_tokens\":1234,\"completion_tokens\":56,\"total_tokens\":1290}}";

            for (int at = 0; at <= answer.length(); at++) {
                assertThat(scanSplit("application/json", answer, at)).as("split at %d", at)
                        .contains(new Usage(1234, 56, 1290));
            }
        }

        @Test
        void leavesTheFedBufferPositionUntouchedForTheClient() {
            ByteBuffer chunk = ByteBuffer.wrap("{\"usage\":{\"prompt_tokens\":1}}".getBytes(StandardCharsets.UTF_8));
            UsageScanner scanner = UsageScanner.forContentType("application/json");

            scanner.feed(chunk);

            assertThat(chunk.position()).isZero();
            assertThat(chunk.remaining()).isEqualTo(29);
        }
    }

    @Nested
    class StreamedAnswers {

        private static final String OPENAI_STREAM = """
                data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hel"}}],"usage":null}

                data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}],"usage":null}

                data: {"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}

                data: [DONE]

                """;

        @Test
        void readsTheFinalUsageChunkOfAnOpenAiStream() {
            assertThat(scan("text/event-stream", OPENAI_STREAM)).contains(new Usage(9, 2, 11));
        }

        @Test
        void reportsNothingForAStreamWithoutUsage() {
            String stream = """
                    data: {"choices":[{"delta":{"content":"Hi"}}]}

                    data: [DONE]

                    """;

            assertThat(scan("text/event-stream", stream)).isEmpty();
        }

        @Test
        void findsTheSameUsageWhereverTheStreamIsSplit() {
            for (int at = 0; at <= OPENAI_STREAM.length(); at++) {
                assertThat(scanSplit("text/event-stream", OPENAI_STREAM, at)).as("split at %d", at)
                        .contains(new Usage(9, 2, 11));
            }
        }

        @Test
        void readsEventsEndedByCarriageReturnLineFeed() {
            String stream = "data: {\"choices\":[]}\r\n\r\n"
                    + "data: {\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}\r\n\r\n";

            assertThat(scan("text/event-stream", stream)).contains(new Usage(3, 4, 7));
        }

        @Test
        void combinesAnthropicInputFromMessageStartWithOutputFromTheLastMessageDelta() {
            String stream = """
                    event: message_start
                    data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"usage":{"input_tokens":25,"cache_read_input_tokens":5,"output_tokens":1}}}

                    event: content_block_delta
                    data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}

                    event: message_delta
                    data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":8}}

                    event: message_delta
                    data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":15}}

                    event: message_stop
                    data: {"type":"message_stop"}

                    """;

            assertThat(scan("text/event-stream", stream)).contains(new Usage(30, 15, 45));
        }

        @Test
        void readsTheResponsesApiCompletedEvent() {
            String stream = """
                    event: response.created
                    data: {"type":"response.created","response":{"id":"resp_1","status":"in_progress","usage":null}}

                    event: response.output_text.delta
                    data: {"type":"response.output_text.delta","delta":"Hi"}

                    event: response.completed
                    data: {"type":"response.completed","response":{"id":"resp_1","status":"completed","output":[],"usage":{"input_tokens":11,"output_tokens":22,"total_tokens":33}}}

                    """;

            assertThat(scan("text/event-stream", stream)).contains(new Usage(11, 22, 33));
        }

        @Test
        void aMalformedEventDoesNotHideTheUsageOfTheNext() {
            String stream = """
                    data: {"choices":[{"delta":{"content":"unterminated

                    data: {"usage":{"prompt_tokens":2,"completion_tokens":3,"total_tokens":5}}

                    """;

            assertThat(scan("text/event-stream", stream)).contains(new Usage(2, 3, 5));
        }

        @Test
        void readsAnEventWhoseDataSpansSeveralLines() {
            String stream = "data: {\"usage\":\ndata: {\"prompt_tokens\":4,\ndata: \"completion_tokens\":1}}\n\n";

            assertThat(scan("text/event-stream", stream)).contains(new Usage(4, 1, 5));
        }

        @Test
        void ignoresUsageOutsideDataLines() {
            String stream = ": {\"usage\":{\"prompt_tokens\":7}}\nid: {\"usage\":{\"prompt_tokens\":7}}\n\n";

            assertThat(scan("text/event-stream", stream)).isEmpty();
        }

        @Test
        void readsTheUsageAfterAnEventOfManyMegabytes() {
            UsageScanner scanner = UsageScanner.forContentType("text/event-stream");
            byte[] start = "data: {\"choices\":[{\"delta\":{\"content\":\"".getBytes(StandardCharsets.UTF_8);
            byte[] text = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
            byte[] end = "\"}}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}\n\n"
                    .getBytes(StandardCharsets.UTF_8);

            scanner.feed(start, 0, start.length);
            for (int i = 0; i < 1024; i++) {
                scanner.feed(text, 0, text.length);
            }
            scanner.feed(end, 0, end.length);

            assertThat(scanner.usage()).contains(new Usage(1, 2, 3));
        }
    }
}
