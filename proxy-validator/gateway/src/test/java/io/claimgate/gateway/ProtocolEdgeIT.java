package io.claimgate.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.claimgate.gateway.config.GatewayConfig;
import io.claimgate.gateway.config.GatewaySettings;
import io.claimgate.gateway.management.ObjectChangeListener;
import io.claimgate.gateway.metrics.GatewayMetrics;
import io.claimgate.gateway.support.Http;
import io.claimgate.gateway.support.RawHttp;
import io.claimgate.gateway.support.StubAuthenticator;
import io.claimgate.gateway.support.StubUpstream;
import io.claimgate.gateway.support.TestDatabase;
import io.claimgate.model.JwtAuthSettings;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway's HTTP/1.1 edge, byte by byte on a raw socket, where swapping the server library most easily changes
 * what an attacker can do: ambiguous framing (request smuggling), pipelining, {@code Expect: 100-continue}, HTTP/1.0,
 * malformed and oversized headers, and clients that hang up mid-stream.
 *
 * <p>Every test holds whichever library serves the gateway. Its promise: a request the gateway did not authorise never
 * reaches the upstream (the recording {@link StubUpstream} says what did), and every refusal is a 4xx in LiteLLM's JSON
 * error shape, framed so that a client can read it, never HTML, a 500 or a silent reset.
 */
class ProtocolEdgeIT {

    private static final String CRLF = "\r\n";
    private static final String TEAM = StubAuthenticator.TEAM_TOKEN;
    private static final String DENIED = StubAuthenticator.DENIED_MODEL;
    private static final long BODY_LIMIT = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestDatabase database;
    private static StubUpstream upstream;
    private static GatewayServer gateway;
    private static final StubAuthenticator AUTH = new StubAuthenticator();

    @BeforeAll
    static void start() throws Exception {
        database = TestDatabase.start();
        upstream = new StubUpstream();
        gateway = startGateway(upstream.uri());
    }

    @AfterAll
    static void stop() throws Exception {
        gateway.close();
        upstream.close();
        database.close();
    }

    @BeforeEach
    void reset() {
        AUTH.seen.clear();
    }

    private static GatewayServer startGateway(URI upstreamUri) {
        GatewaySettings settings = GatewaySettings.defaults().withListener("127.0.0.1", 0)
                .withUpstream(upstreamUri, "sk-upstream").withMaxRequestBodyBytes(BODY_LIMIT);
        GatewayConfig config = new GatewayConfig(true, JwtAuthSettings.defaults(), "sk-master-1234", null,
                List.of("gpt-4o", "claude"), settings, List.of());
        return new GatewayServer(config, AUTH, database.dataSource(), ObjectChangeListener.NONE, List.of(),
                new GatewayMetrics()).start();
    }

    /** A path the upstream has not seen yet, so a test can tell whether this very request reached it. */
    private static String probe() {
        return "/v1/chat/completions?probe=" + UUID.randomUUID();
    }

    private static String chat(String model) {
        return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    }

    /** A well-formed HTTP/1.1 POST of a JSON body; {@code token} may be {@code null}. */
    private static String post(String path, String token, String body) {
        return "POST " + path + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + authorization(token)
                + "Content-Type: application/json" + CRLF
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + CRLF + CRLF + body;
    }

    private static String get(String path, String token) {
        return "GET " + path + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + authorization(token) + CRLF;
    }

    private static String authorization(String token) {
        return token == null ? "" : "Authorization: Bearer " + token + CRLF;
    }

    /** One chunk and the last chunk: a body in chunked framing. */
    private static String chunked(String body) {
        return Integer.toHexString(body.length()) + CRLF + body + CRLF + "0" + CRLF + CRLF;
    }

    /** Asserts an answer is a refusal with one of {@code statuses}, in LiteLLM's error shape and JSON framing. */
    private static JsonNode assertRefusal(RawHttp.Answer answer, Integer... statuses) throws IOException {
        assertThat(answer.status()).as("status of %s", answer).isIn((Object[]) statuses);
        assertThat(answer.headers().get("content-type")).as("content type of %s", answer)
                .startsWith("application/json");
        assertThat(answer.headers().containsKey("content-length")
                || "chunked".equalsIgnoreCase(answer.headers().get("transfer-encoding")))
                .as("framing of %s", answer).isTrue();
        assertThat(answer.body()).doesNotContain("<html").doesNotContain("Exception").doesNotContain("at io.");
        JsonNode error = JSON.readTree(answer.body()).get("error");
        assertThat(error).as("error object of %s", answer).isNotNull();
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(error.get("type").asText()).isNotBlank();
        assertThat(error.has("param")).isTrue();
        assertThat(error.get("code").asText()).isEqualTo(Integer.toString(answer.status()));
        return error;
    }

    /** Asserts the upstream received the request on {@code path} once, with this body and its own credential. */
    private static void assertForwardedExactly(String path, String body) {
        List<StubUpstream.Received> received = upstream.received().stream()
                .filter(r -> r.pathAndQuery().equals(path)).toList();
        assertThat(received).as("requests on %s that reached the upstream", path).hasSize(1);
        assertThat(received.get(0).body()).isEqualTo(body);
        assertThat(received.get(0).headers().get("Authorization")).containsExactly("Bearer sk-upstream");
    }

    @Nested
    class AmbiguousFraming {

        @Test
        void refusesContentLengthTogetherWithChunkedTransferEncoding() throws Exception {
            // given an authorised request whose body ends early by its chunks and late by its Content-Length, with
            // a second request in the gap: a server and an upstream reading the framing differently disagree on
            // where the second request starts
            String outer = probe();
            String hidden = probe();
            String smuggled = post(hidden, TEAM, chat(DENIED));
            String body = chunked(chat("gpt-4o")) + smuggled;
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send("POST " + outer + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + authorization(TEAM)
                        + "Content-Type: application/json" + CRLF + "Content-Length: " + body.length() + CRLF
                        + "Transfer-Encoding: chunked" + CRLF + CRLF + body);

                // when the gateway answers
                RawHttp.Answer answer = client.answer();

                // then the framing is refused, and nothing after it is answered as a request
                assertRefusal(answer, 400);
                assertThat(client.closedByServer()).isTrue();
            }
            assertThat(upstream.saw(outer)).isFalse();
            assertThat(upstream.saw(hidden)).isFalse();
        }

        @Test
        void refusesTwoDifferentContentLengths() throws Exception {
            // given an authorised request declaring its body's length twice, differently
            String path = probe();
            String body = chat("gpt-4o");
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send("POST " + path + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + authorization(TEAM)
                        + "Content-Type: application/json" + CRLF + "Content-Length: " + body.length() + CRLF
                        + "Content-Length: " + (body.length() - 10) + CRLF + CRLF + body);

                // when the gateway answers, then it refuses the request and never forwards it
                assertRefusal(client.answer(), 400);
            }
            assertThat(upstream.saw(path)).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"chunked, gzip", "gzip", "identity", "chunked, chunked"})
        void refusesTransferCodingsThatDoNotEndInOneChunked(String codings) throws Exception {
            // given an authorised request whose body length cannot be told from its codings (RFC 9112, 6.3)
            assertRefusedUnforwarded(codings);
        }

        @ParameterizedTest
        @ValueSource(strings = {"gzip, chunked", "x-unknown, chunked"})
        void refusesATransferCodingItDoesNotImplementBeforeChunked(String codings) throws Exception {
            // given an authorised request declaring a coding under its chunks that the gateway does not decode: it
            // would authorise still-coded bytes as if plain, and a front proxy that does not take this for chunked
            // frames the request differently from the gateway (RFC 9112, 6.1: 501)
            assertRefusedUnforwarded(codings);
        }

        private void assertRefusedUnforwarded(String codings) throws Exception {
            String path = probe();
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send("POST " + path + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + authorization(TEAM)
                        + "Content-Type: application/json" + CRLF + "Transfer-Encoding: " + codings + CRLF + CRLF
                        + chunked(chat("gpt-4o")));

                // when the gateway answers, then it refuses the request and never forwards it
                assertRefusal(client.answer(), 400, 501);
            }
            assertThat(upstream.saw(path)).isFalse();
        }

        @Test
        void neverLetsAHeaderFoldedOntoTheNextLineBecomeAHeaderOfItsOwn() throws Exception {
            // given an authorised request with an obsolete line folding, which an upstream may read as a header
            // of its own: here a model the gateway never saw
            String path = probe();
            String body = chat("gpt-4o");
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send("POST " + path + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + authorization(TEAM)
                        + "X-Note: harmless" + CRLF + " x-litellm-model: " + DENIED + CRLF
                        + "Content-Type: application/json" + CRLF + "Content-Length: " + body.length() + CRLF + CRLF
                        + body);

                // when the gateway answers, then it either refuses the request unforwarded, or (RFC 9112, 5.2)
                // replaces the folding with a space: the upstream then gets one header, never the folded line as
                // a header of its own
                RawHttp.Answer answer = client.answer();
                if (answer.status() != 200) {
                    assertRefusal(answer, 400);
                    assertThat(upstream.saw(path)).isFalse();
                    return;
                }
            }
            StubUpstream.Received forwarded = upstream.received().stream()
                    .filter(r -> r.pathAndQuery().equals(path)).findFirst().orElseThrow();
            assertThat(forwarded.headers().get("x-litellm-model")).isNull();
            assertThat(forwarded.headers().get("x-note")).singleElement().asString()
                    .isEqualTo("harmless x-litellm-model: " + DENIED);
            assertForwardedExactly(path, body);
        }

        @Test
        void refusesWhitespaceBetweenAHeaderNameAndItsColon() throws Exception {
            // given the classic smuggling header: a Transfer-Encoding that some parsers see and others ignore
            String path = probe();
            String body = chunked(chat("gpt-4o"));
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send("POST " + path + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + authorization(TEAM)
                        + "Content-Type: application/json" + CRLF + "Content-Length: " + body.length() + CRLF
                        + "Transfer-Encoding : chunked" + CRLF + CRLF + body);

                // when the gateway answers, then it refuses the request and never forwards it
                assertRefusal(client.answer(), 400);
            }
            assertThat(upstream.saw(path)).isFalse();
        }

        @Test
        void forwardsARequestWithBareLineFeedsOnlyAsItAuthorisedIt() throws Exception {
            // given an authorised request whose lines end in a bare LF, which RFC 9112 lets a server refuse or read
            String path = probe();
            String body = chat("gpt-4o");
            RawHttp.Answer answer;
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send("POST " + path + " HTTP/1.1\nHost: 127.0.0.1\n" + "Authorization: Bearer " + TEAM + "\n"
                        + "Content-Type: application/json\nContent-Length: " + body.length() + "\n\n" + body);

                // when the gateway answers
                answer = client.answer();
            }

            // then it either refused it, unforwarded, or forwarded exactly what it authorised
            if (answer.status() == 200) {
                assertForwardedExactly(path, body);
            } else {
                assertRefusal(answer, 400);
                assertThat(upstream.saw(path)).isFalse();
            }
        }

        @Test
        void neverForwardsAHeaderHiddenBehindABareLineFeedInAValue() throws Exception {
            // given an authorised request with a bare LF inside a header value, followed by what an upstream that
            // splits lines on LF reads as a model header, naming a model the team may not use
            String path = probe();
            String body = chat("gpt-4o");
            RawHttp.Answer answer;
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send("POST " + path + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + authorization(TEAM)
                        + "X-Note: harmless\nx-litellm-model: " + DENIED + CRLF
                        + "Content-Type: application/json" + CRLF + "Content-Length: " + body.length() + CRLF + CRLF
                        + body);

                // when the gateway answers
                answer = client.answer();
            }

            // then the denied model never reaches the upstream in any header
            if (answer.status() == 200) {
                StubUpstream.Received received = upstream.received().stream()
                        .filter(r -> r.pathAndQuery().equals(path)).findFirst().orElseThrow();
                assertThat(received.headers().values()).allSatisfy(values -> assertThat(values)
                        .noneMatch(v -> v.contains(DENIED) || v.contains("\n") || v.contains("\r")));
            } else {
                assertRefusal(answer, 400, 403);
                assertThat(upstream.saw(path)).isFalse();
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"+%d", "-1", "%d %d", "0x%x", "%d.0"})
        void refusesAContentLengthThatIsNotPlainDigits(String format) throws Exception {
            // given an authorised request whose length parsers read differently: signed, two numbers, hex, a fraction
            String path = probe();
            String body = chat("gpt-4o");
            String length = String.format(format, body.length(), body.length());
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send("POST " + path + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + authorization(TEAM)
                        + "Content-Type: application/json" + CRLF + "Content-Length: " + length + CRLF + CRLF + body);

                // when the gateway answers, then it refuses the request and never forwards it
                assertRefusal(client.answer(), 400);
            }
            assertThat(upstream.saw(path)).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"10000000000000010", "+10", "10 garbage", "0x10", "2"})
        void refusesAMalformedChunk(String size) throws Exception {
            // given an authorised chunked request whose one 16-byte chunk declares its size malformed: overflowing a
            // long, signed, followed by junk, with a 0x prefix, or shorter than the data that follows
            String path = probe();
            String data = "{\"model\":\"x\"}  ";
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send("POST " + path + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + authorization(TEAM)
                        + "Content-Type: application/json" + CRLF + "Transfer-Encoding: chunked" + CRLF + CRLF
                        + size + CRLF + data + CRLF + "0" + CRLF + CRLF);

                // when the gateway answers, then it refuses the request and never forwards it
                assertRefusal(client.answer(), 400, 413);
            }
            assertThat(upstream.saw(path)).isFalse();
        }

        @Test
        void neverForwardsTrailerFieldsAsHeaders() throws Exception {
            // given an authorised chunked request whose trailer names a model the team may not use and a credential
            String path = probe();
            String body = chat("gpt-4o");
            RawHttp.Answer answer;
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send("POST " + path + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + authorization(TEAM)
                        + "Content-Type: application/json" + CRLF + "Transfer-Encoding: chunked" + CRLF + CRLF
                        + Integer.toHexString(body.length()) + CRLF + body + CRLF + "0" + CRLF
                        + "x-litellm-model: " + DENIED + CRLF + "Authorization: Bearer " + TEAM + CRLF + CRLF);

                // when the gateway answers
                answer = client.answer();
            }

            // then the trailer's fields never reach the upstream: it was either refused or forwarded without them
            if (answer.status() == 200) {
                assertForwardedExactly(path, body);
                StubUpstream.Received received = upstream.received().stream()
                        .filter(r -> r.pathAndQuery().equals(path)).findFirst().orElseThrow();
                assertThat(received.headers().containsKey("x-litellm-model")).isFalse();
            } else {
                assertRefusal(answer, 400, 403);
                assertThat(upstream.saw(path)).isFalse();
            }
        }

        @Test
        void forwardsAnAbsoluteFormTargetOnlyToTheRouteItAuthorised() throws Exception {
            // given an authorised request whose target names a host as well as the path (absolute form)
            String path = probe();
            String body = chat("gpt-4o");
            RawHttp.Answer answer;
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send("POST http://upstream.example" + path + " HTTP/1.1" + CRLF + "Host: upstream.example"
                        + CRLF + authorization(TEAM) + "Content-Type: application/json" + CRLF
                        + "Content-Length: " + body.length() + CRLF + CRLF + body);

                // when the gateway answers
                answer = client.answer();
            }

            // then it authorised the path and forwarded it to its own upstream, or refused it cleanly
            if (answer.status() == 200) {
                assertForwardedExactly(path, body);
                assertThat(AUTH.seen).singleElement()
                        .satisfies(r -> assertThat(r.route()).isEqualTo("/v1/chat/completions"));
            } else {
                assertRefusal(answer, 400);
                assertThat(upstream.saw(path)).isFalse();
            }
        }

        @Test
        void refusesAnHttp11RequestWithTwoHosts() throws Exception {
            // given an authorised request naming two hosts, of which the gateway would pass one on as
            // X-Forwarded-Host and a front proxy may have routed by the other (RFC 9112, 3.2: 400)
            String path = probe();
            String body = chat("gpt-4o");
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send("POST " + path + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + "Host: evil.example"
                        + CRLF + authorization(TEAM) + "Content-Type: application/json" + CRLF
                        + "Content-Length: " + body.length() + CRLF + CRLF + body);

                // when the gateway answers, then it refuses the request and never forwards it
                assertRefusal(client.answer(), 400);
            }
            assertThat(upstream.saw(path)).isFalse();
        }

        @Test
        void refusesAnHttp11RequestWithoutHost() throws Exception {
            // given an authorised HTTP/1.1 request without the Host it must send (RFC 9112, 3.2: 400)
            String path = probe();
            String body = chat("gpt-4o");
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send("POST " + path + " HTTP/1.1" + CRLF + authorization(TEAM)
                        + "Content-Type: application/json" + CRLF + "Content-Length: " + body.length() + CRLF + CRLF
                        + body);

                // when the gateway answers, then it refuses the request and never forwards it
                assertRefusal(client.answer(), 400);
            }
            assertThat(upstream.saw(path)).isFalse();
        }
    }

    @Nested
    class RequestTargets {

        @ParameterizedTest
        @ValueSource(strings = {"CONNECT 127.0.0.1:443", "OPTIONS *", "GET chat/completions"})
        void answersATargetThatIsNoPathWithACleanRefusal(String requestLine) throws Exception {
            // given an authorised request whose target is no path: authority form, asterisk form, a relative path
            int forwardedBefore = upstream.received().size();
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send(requestLine + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + authorization(TEAM) + CRLF);

                // when the gateway answers, then it is a 4xx in LiteLLM's shape, never a 500, and nothing is forwarded
                assertRefusal(client.answer(), 400, 404, 405, 501);
            }
            assertThat(upstream.received()).hasSize(forwardedBefore);
        }

        @Test
        void neverForwardsTraceWithTheUpstreamCredential() throws Exception {
            // given an authorised TRACE: the upstream would echo the request it received, and with it the upstream
            // key the gateway adds (RFC 9110, 9.3.8: a client must not send credentials in a TRACE)
            String path = probe();
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send("TRACE " + path + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + authorization(TEAM)
                        + CRLF);

                // when the gateway answers, then it refuses the method and never forwards it
                assertRefusal(client.answer(), 400, 403, 405, 501);
            }
            assertThat(upstream.saw(path)).isFalse();
        }
    }

    @Nested
    class Pipelining {

        @Test
        void answersPipelinedRequestsInOrderForwardingOnlyTheAuthorisedOne() throws Exception {
            // given two requests in one write: the first authorised, the second naming a model the team may not use
            String allowed = probe();
            String denied = probe();
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send(post(allowed, TEAM, chat("gpt-4o")) + post(denied, TEAM, chat(DENIED)));

                // when the gateway answers both
                RawHttp.Answer first = client.answer();
                RawHttp.Answer second = client.answer();

                // then in order: the first forwarded, the second refused
                assertThat(first.status()).isEqualTo(200);
                assertThat(first.headers()).containsEntry("x-upstream", "stub");
                assertThat(assertRefusal(second, 403).get("type").asText()).isEqualTo("team_model_access_denied");
            }
            assertForwardedExactly(allowed, chat("gpt-4o"));
            assertThat(upstream.saw(denied)).isFalse();
        }

        @Test
        void answersAPipelinedRequestWithoutATokenWith401AfterTheAuthorisedOne() throws Exception {
            // given two requests in one write: the first authorised, the second without a token
            String allowed = probe();
            String anonymous = probe();
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send(post(allowed, TEAM, chat("gpt-4o")) + post(anonymous, null, chat("gpt-4o")));

                // when the gateway answers both
                RawHttp.Answer first = client.answer();
                RawHttp.Answer second = client.answer();

                // then in order: the first forwarded, the second refused
                assertThat(first.status()).isEqualTo(200);
                assertThat(assertRefusal(second, 401).get("type").asText()).isEqualTo("auth_error");
            }
            assertForwardedExactly(allowed, chat("gpt-4o"));
            assertThat(upstream.saw(anonymous)).isFalse();
        }

        @Test
        void closesTheConnectionOfARequestRefusedBeforeItsBodyWasRead() throws Exception {
            // given a request without a token, refused before its body is read, and an authorised one pipelined
            // behind it in the same write
            String anonymous = probe();
            String behind = probe();
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send(post(anonymous, null, chat("gpt-4o")) + post(behind, TEAM, chat("gpt-4o")));

                // when the gateway answers the first
                assertRefusal(client.answer(), 401);

                // then the connection ends there: the request behind the unread body is neither answered nor
                // forwarded, since where it starts was never read
                assertThat(client.closedByServer()).isTrue();
            }
            assertThat(upstream.saw(anonymous)).isFalse();
            assertThat(upstream.saw(behind)).isFalse();
        }

        @Test
        void neverTakesTheUnreadBodyOfARefusedRequestForTheNextRequest() throws Exception {
            // given a refused request whose body is itself an authorised request for a denied model
            String anonymous = probe();
            String hidden = probe();
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send(post(anonymous, null, post(hidden, TEAM, chat("gpt-4o"))));

                // when the gateway answers
                assertRefusal(client.answer(), 401);

                // then the body is never parsed as a request: no second answer, nothing forwarded
                assertThat(client.closedByServer()).isTrue();
            }
            assertThat(upstream.saw(anonymous)).isFalse();
            assertThat(upstream.saw(hidden)).isFalse();
        }
        @Test
        void answersARequestPipelinedBehindAChunkedOneInOrder() throws Exception {
            // given an authorised chunked request and a second authorised request in the same write
            String first = probe();
            String second = probe();
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send("POST " + first + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + authorization(TEAM)
                        + "Content-Type: application/json" + CRLF + "Transfer-Encoding: chunked" + CRLF + CRLF
                        + chunked(chat("gpt-4o")) + post(second, TEAM, chat("claude")));

                // when the gateway answers both
                RawHttp.Answer one = client.answer();
                RawHttp.Answer two = client.answer();

                // then each was read where its framing put it, and forwarded as it was
                assertThat(one.status()).isEqualTo(200);
                assertThat(two.status()).isEqualTo(200);
            }
            assertForwardedExactly(first, chat("gpt-4o"));
            assertForwardedExactly(second, chat("claude"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"/health/liveliness", "/auth", "/v1/models", "/metrics"})
        void neverTakesTheUnreadBodyOfAnAnsweredRequestForTheNextRequest(String path) throws Exception {
            // given a request to an endpoint that reads no body, carrying a body that is itself an authorised
            // request: a front proxy saw one request here
            String hidden = probe();
            String smuggled = post(hidden, TEAM, chat("gpt-4o"));
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send("POST " + path + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + authorization(TEAM)
                        + "X-Original-URI: /v1/chat/completions" + CRLF + "Content-Type: text/plain" + CRLF
                        + "Content-Length: " + smuggled.length() + CRLF + CRLF + smuggled);

                // when the gateway answers it, and the client asks once more on the same connection
                RawHttp.Answer answer = client.answer();
                RawHttp.Answer next = nextHealthAnswer(client);

                // then the body was skipped or the connection closed: it never became a request of its own
                assertThat(answer.headers()).doesNotContainKey("x-upstream");
                if (next != null) {
                    assertThat(next.headers()).doesNotContainKey("x-upstream");
                    assertThat(next.body()).isEqualTo("\"I'm alive!\"");
                }
            }
            assertThat(upstream.saw(hidden)).isFalse();
        }

        /** The answer to a liveness probe on this connection, or {@code null} when the gateway closed it. */
        private static RawHttp.Answer nextHealthAnswer(RawHttp client) {
            try {
                return client.send(get("/health/liveliness", null)).answer();
            } catch (IOException closed) {
                return null;
            }
        }
    }

    @Nested
    class ExpectContinue {

        @Test
        void refusesAnUnauthenticatedRequestWithoutInvitingItsBody() throws Exception {
            // given a request without a token that waits for 100 Continue before sending its body, which is a
            // complete authorised request
            String anonymous = probe();
            String hidden = probe();
            String body = post(hidden, TEAM, chat("gpt-4o"));
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send("POST " + anonymous + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF
                        + "Content-Type: application/json" + CRLF + "Expect: 100-continue" + CRLF
                        + "Content-Length: " + body.length() + CRLF + CRLF);

                // when the gateway answers
                RawHttp.Answer answer = client.answer();

                // then its first answer is the refusal, not an invitation to send the body
                assertRefusal(answer, 401);

                // and the body, sent anyway, is never read as a request
                sendIgnoringAClosedConnection(client, body);
                assertThat(client.closedByServer()).isTrue();
            }
            assertThat(upstream.saw(anonymous)).isFalse();
            assertThat(upstream.saw(hidden)).isFalse();
        }

        @Test
        void invitesTheBodyOfAnAuthenticatedRequestAndForwardsItWithoutExpect() throws Exception {
            // given an authenticated request that waits for 100 Continue before sending its body
            String path = probe();
            String body = chat("gpt-4o");
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send("POST " + path + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + authorization(TEAM)
                        + "Content-Type: application/json" + CRLF + "Expect: 100-continue" + CRLF
                        + "Content-Length: " + body.length() + CRLF + CRLF);

                // when the gateway invites the body and it is sent
                RawHttp.Answer invitation = client.answer();
                client.send(body);
                RawHttp.Answer answer = client.answer();

                // then the request is forwarded and answered
                assertThat(invitation.status()).isEqualTo(100);
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.headers()).containsEntry("x-upstream", "stub");
            }
            // and the upstream, which already has the body, is not asked to invite it again
            assertForwardedExactly(path, body);
            assertThat(upstream.received()).filteredOn(r -> r.pathAndQuery().equals(path))
                    .allSatisfy(r -> assertThat(r.headers().containsKey("Expect")).isFalse());
        }

        private static void sendIgnoringAClosedConnection(RawHttp client, String bytes) {
            try {
                client.send(bytes);
            } catch (IOException closed) {
                // The gateway closed the connection after refusing: the body could not be sent, as it should be.
            }
        }
    }

    @Nested
    class Http10 {

        @Test
        void answersARequestWithoutHostAndClosesTheConnection() throws Exception {
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                // given an HTTP/1.0 request, which has no Host header
                client.send("GET /health/liveliness HTTP/1.0" + CRLF + CRLF);

                // when the gateway answers
                RawHttp.Answer answer = client.answer();

                // then it answers and closes, as HTTP/1.0 without keep-alive expects
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.body()).isEqualTo("\"I'm alive!\"");
                assertThat(client.closedByServer()).isTrue();
            }
        }

        @Test
        void forwardsAnAuthorisedRequestWithoutHostAndClosesTheConnection() throws Exception {
            String path = probe();
            String body = chat("gpt-4o");
            RawHttp.Answer answer;
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                // given an authorised HTTP/1.0 request
                client.send("POST " + path + " HTTP/1.0" + CRLF + authorization(TEAM)
                        + "Content-Type: application/json" + CRLF + "Content-Length: " + body.length() + CRLF + CRLF
                        + body);

                // when the gateway answers
                answer = client.answer();

                // then the connection is closed after the answer
                assertThat(client.closedByServer()).isTrue();
            }
            // and the answer is the upstream's, or a clean refusal that forwarded nothing
            if (answer.status() == 200) {
                assertThat(answer.headers()).containsEntry("x-upstream", "stub");
                assertForwardedExactly(path, body);
            } else {
                assertRefusal(answer, 400);
                assertThat(upstream.saw(path)).isFalse();
            }
        }

        @Test
        void keepsTheConnectionOpenWhenKeepAliveWasAsked() throws Exception {
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                // given an HTTP/1.0 client asking to keep the connection
                String request = "GET /health/liveliness HTTP/1.0" + CRLF + "Connection: keep-alive" + CRLF + CRLF;

                // when it sends two requests, one after the other's answer, on the same connection
                RawHttp.Answer first = client.send(request).answer();
                RawHttp.Answer second = client.send(request).answer();

                // then both are answered
                assertThat(first.status()).isEqualTo(200);
                assertThat(first.body()).isEqualTo("\"I'm alive!\"");
                assertThat(second.status()).isEqualTo(200);
                assertThat(second.body()).isEqualTo("\"I'm alive!\"");
            }
        }

        @Test
        void streamsToAnHttp10ClientWithoutChunkedFraming() throws Exception {
            try (StubUpstream streaming = new StubUpstream(); GatewayServer own = startGateway(streaming.uri());
                 RawHttp client = RawHttp.open(own.uri())) {
                // given an HTTP/1.0 client, which knows no chunks, asking for a streamed answer
                String body = "{\"model\":\"gpt-4o\",\"stream\":true}";
                client.send("POST /chat/completions HTTP/1.0" + CRLF + authorization(TEAM)
                        + "Content-Type: application/json" + CRLF + "Content-Length: " + body.length() + CRLF + CRLF
                        + body);

                // when the events arrive
                RawHttp.Answer head = client.head();
                String first = client.readUntil("\"first\"");
                streaming.releaseStream();
                String rest = client.rest();

                // then they arrive as they are, ended by the close, with no chunk sizes between them
                assertThat(head.status()).isEqualTo(200);
                assertThat(head.headers()).doesNotContainKey("transfer-encoding");
                assertThat(first).startsWith("data: ");
                assertThat(rest).contains("\"second\"").endsWith("data: [DONE]\n\n");
            }
        }
        @Test
        void closesTheConnectionAfterAnHttp10RequestFramedByChunks() throws Exception {
            // given an HTTP/1.0 request with Transfer-Encoding, which RFC 9112 (6.1) calls faulty framing, and an
            // authorised request pipelined behind it
            String first = probe();
            String behind = probe();
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send("POST " + first + " HTTP/1.0" + CRLF + authorization(TEAM) + "Connection: keep-alive"
                        + CRLF + "Content-Type: application/json" + CRLF + "Transfer-Encoding: chunked" + CRLF + CRLF
                        + chunked(chat("gpt-4o")) + post(behind, TEAM, chat("gpt-4o")));

                // when the gateway answers the first
                RawHttp.Answer answer = client.answer();
                boolean closed = client.closedByServer();

                // then the connection ends there, whether the first was forwarded or refused
                if (answer.status() != 200) {
                    assertRefusal(answer, 400, 501);
                }
                assertThat(upstream.saw(behind)).as("the request behind the faulty framing was forwarded").isFalse();
                assertThat(closed).as("the connection closed after the faulty framing").isTrue();
            }
        }

        @Test
        void closesTheConnectionAfterTheAnswerWhenTheClientAsks() throws Exception {
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                // given an HTTP/1.1 request saying Connection: close, and another one written behind it
                client.send("GET /health/liveliness HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF
                        + "Connection: close" + CRLF + CRLF + get("/health/liveliness", null));

                // when the gateway answers
                RawHttp.Answer answer = client.answer();

                // then only the first is answered, and the connection is closed
                assertThat(answer.status()).isEqualTo(200);
                assertThat(client.closedByServer()).isTrue();
            }
        }
    }

    @Nested
    class Headers {

        @Test
        void framesEveryJsonErrorSoTheNextAnswerOnTheConnectionReadsCleanly() throws Exception {
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                // given refusals of several kinds on one kept connection
                RawHttp.Answer noToken = client.send(get("/chat/completions", null)).answer();
                RawHttp.Answer noRoute = client.send(get("/auth", TEAM)).answer();
                RawHttp.Answer badToken = client.send(get("/v1/models", "not-a-token")).answer();
                RawHttp.Answer deniedModel = client.send(post(probe(), TEAM, chat(DENIED))).answer();

                // when the next request follows them on the same connection
                RawHttp.Answer next = client.send(get("/health/liveliness", null)).answer();

                // then each was a framed JSON error, and the connection still reads answer by answer
                assertRefusal(noToken, 401);
                assertRefusal(noRoute, 400);
                assertRefusal(badToken, 401);
                assertRefusal(deniedModel, 403);
                assertThat(next.status()).isEqualTo(200);
                assertThat(next.body()).isEqualTo("\"I'm alive!\"");
            }
        }

        @Test
        void answersAProtocolErrorAsAFramedJsonError() throws Exception {
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                // given a request the server's parser refuses (a malformed percent-encoding)
                client.send("GET /chat/%zz HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + authorization(TEAM) + CRLF);

                // when it answers, then the refusal is JSON with a length that matches its body
                RawHttp.Answer answer = client.answer();
                assertRefusal(answer, 400);
                assertThat(answer.headers().get("content-length"))
                        .isEqualTo(Integer.toString(answer.body().getBytes(StandardCharsets.UTF_8).length));
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"many", "one"})
        void refusesAnOverlongHeaderSectionWithAJsonAnswer(String shape) throws Exception {
            // given an authorised request with 100 KB of headers, in many headers or in one
            String path = probe();
            String body = chat("gpt-4o");
            StringBuilder padding = new StringBuilder();
            if (shape.equals("many")) {
                for (int i = 0; i < 100; i++) {
                    padding.append("X-Pad-").append(i).append(": ").append("p".repeat(1024)).append(CRLF);
                }
            } else {
                padding.append("X-Pad: ").append("p".repeat(100 * 1024)).append(CRLF);
            }
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send("POST " + path + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + authorization(TEAM)
                        + padding + "Content-Type: application/json" + CRLF + "Content-Length: " + body.length()
                        + CRLF + CRLF + body);

                // when the gateway answers, then it is a JSON refusal, not HTML and not a reset
                assertRefusal(client.answer(), 431, 400);
            }
            assertThat(upstream.saw(path)).isFalse();
        }

        @Test
        void refusesAnOverlongRequestLineWithAJsonAnswer() throws Exception {
            // given a request whose path is 64 KB long
            String path = "/v1/chat/completions?pad=" + "p".repeat(64 * 1024);
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send(get(path, TEAM));

                // when the gateway answers, then it is a JSON refusal, not HTML and not a reset
                assertRefusal(client.answer(), 414, 400);
            }
            assertThat(upstream.saw("/v1/chat/completions?pad=")).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"\u0000", "\r"})
        void refusesAControlCharacterInAHeaderValue(String control) throws Exception {
            // given an authorised request with a NUL or a lone CR inside a header value, which an upstream may
            // cut the value at or read as a line end
            String path = probe();
            String body = chat("gpt-4o");
            try (RawHttp client = RawHttp.open(gateway.uri())) {
                client.send("POST " + path + " HTTP/1.1" + CRLF + "Host: 127.0.0.1" + CRLF + authorization(TEAM)
                        + "X-Note: a" + control + "x-litellm-model: " + DENIED + CRLF
                        + "Content-Type: application/json" + CRLF + "Content-Length: " + body.length() + CRLF + CRLF
                        + body);

                // when the gateway answers, then it refuses the request and never forwards it
                assertRefusal(client.answer(), 400);
            }
            assertThat(upstream.saw(path)).isFalse();
        }
    }

    @Nested
    class Disconnects {

        @Test
        void keepsAnsweringOtherClientsAfterOneHangsUpMidStream() throws Exception {
            try (StubUpstream streaming = new StubUpstream(); GatewayServer own = startGateway(streaming.uri())) {
                Http http = new Http(own.uri());
                // given a client that hangs up after the first event of a streamed answer, while the upstream is
                // still answering
                try (RawHttp client = RawHttp.open(own.uri())) {
                    client.send(post("/chat/completions", TEAM, "{\"model\":\"gpt-4o\",\"stream\":true}"));
                    assertThat(client.head().status()).isEqualTo(200);
                    client.readUntil("\"first\"");
                }

                // when other clients call, before and after the upstream finishes the abandoned stream
                int whileStreaming = http.post("/chat/completions", TEAM, chat("gpt-4o")).statusCode();
                streaming.releaseStream();
                int afterwards = http.post("/chat/completions", TEAM, chat("gpt-4o")).statusCode();

                // then they are answered
                assertThat(whileStreaming).isEqualTo(200);
                assertThat(afterwards).isEqualTo(200);
                try (RawHttp client = RawHttp.open(own.uri())) {
                    client.send(post("/chat/completions", TEAM, "{\"model\":\"gpt-4o\",\"stream\":true}"));
                    assertThat(client.answer().body()).contains("\"first\"").contains("[DONE]");
                }
            }
        }
    }

    @Test
    void forwardsTheWellFormedFormOfTheRequestsAbove() throws Exception {
        // The control for the refusals above: the same request, well formed, is forwarded as it was authorised.
        String path = probe();
        try (RawHttp client = RawHttp.open(gateway.uri())) {
            RawHttp.Answer answer = client.send(post(path, TEAM, chat("gpt-4o"))).answer();

            assertThat(answer.status()).isEqualTo(200);
        }
        assertForwardedExactly(path, chat("gpt-4o"));
    }
}
