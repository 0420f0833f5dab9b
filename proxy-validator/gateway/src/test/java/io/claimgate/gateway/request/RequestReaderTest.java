package io.claimgate.gateway.request;

import static io.claimgate.gateway.request.Refusals.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestReaderTest {

    private static final String JSON = "application/json";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static RequestedAccess json(String body) {
        return RequestReader.read("/v1/chat/completions", null, JSON, bytes(body));
    }

    @Nested
    class PathAndQuery {

        @ParameterizedTest
        @CsvSource({
            "/engines/gpt-4o/chat/completions, gpt-4o",
            "/engines/text-davinci/completions, text-davinci",
            "/engines/ada/embeddings, ada",
            "/openai/deployments/azure/gpt-4/chat/completions, azure/gpt-4",
            "/openai/deployments/ada/embeddings, ada",
            "/openai/deployments/dall-e/images/generations, dall-e",
            "/openai/deployments/whisper/audio/transcriptions, whisper",
            "/openai/deployments/tts/audio/speech, tts",
            "/v1beta/models/gemini-2.0-flash:generateContent, gemini-2.0-flash",
            "/v1beta/models/gemini-pro:streamGenerateContent, gemini-pro",
            "/v1beta/models/bedrock/claude-3:countTokens, bedrock/claude-3",
            "/models/gemini-pro:generateContent, gemini-pro",
            "/v1/models/gpt-4o, gpt-4o",
            "/vertex_ai/v1/projects/p/locations/l/publishers/google/models/gemini-1.5-pro:generateContent,"
                    + " gemini-1.5-pro",
        })
        void readsTheModelFromLiteLlmsModelCarryingRoutes(String route, String model) {
            assertThat(RequestReader.fromRoute(route, null).models()).containsExactly(model);
        }

        @Test
        void endsThePathModelAtTheLastOperationAsStarletteMatchesGreedily() {
            // Starlette's {model:path} is greedy: the model runs to the last "/chat/completions".
            assertThat(RequestReader.fromRoute("/engines/a/chat/completions/chat/completions", null).models())
                    .containsExactly("a/chat/completions");
            // A model with ':' in it ends before the method after the last ':'.
            assertThat(RequestReader.fromRoute("/v1beta/models/bedrock/claude:0:generateContent", null).models())
                    .containsExactly("bedrock/claude:0");
        }

        @Test
        void readsTheFirstSegmentUnderADeploymentPrefixWhateverTheOperation() {
            assertThat(RequestReader.fromRoute("/openai/deployments/gpt-4o/some/future/operation", null).models())
                    .containsExactly("gpt-4o");
        }

        @ParameterizedTest
        @ValueSource(strings = {"/v1/chat/completions", "/chat/completions", "/v1/models", "/key/info", "/"})
        void findsNoModelInRoutesThatDoNotCarryOne(String route) {
            assertThat(RequestReader.fromRoute(route, null)).isEqualTo(RequestedAccess.NONE);
        }

        @Test
        void readsTheModelQueryParameterThatLiteLlmHandlersTakeOverTheBody() {
            assertThat(RequestReader.fromRoute("/v1/chat/completions", "model=gpt-4o").models())
                    .containsExactly("gpt-4o");
        }

        @Test
        void decodesTheQueryStringAsStarletteDoes() {
            assertThat(RequestReader.fromRoute("/v1/chat/completions", "x=1&mod%65l=gpt+4%2Bo&y").models())
                    .containsExactly("gpt 4+o");
            assertThat(RequestReader.fromRoute("/v1/chat/completions", "model=caf%C3%A9").models())
                    .containsExactly("café");
        }

        @Test
        void matchesTheModelQueryParameterCaseInsensitivelyAsLiteLlmsAuthDoes() {
            assertThat(RequestReader.fromRoute("/v1/files", "MODEL=gpt-4o").models()).containsExactly("gpt-4o");
        }

        @Test
        void readsTargetModelNamesFromTheQueryString() {
            assertThat(RequestReader.fromRoute("/v1/files", "target_model_names=gpt-4o,claude").models())
                    .containsExactly("gpt-4o", "claude");
        }

        @Test
        void ignoresAnEmptyModelQueryParameterAsLiteLlmDoes() {
            assertThat(RequestReader.fromRoute("/v1/chat/completions", "model=&model")).isEqualTo(
                    RequestedAccess.NONE);
        }

        @Test
        void refusesAModelQueryParameterRepeatedWithDifferentValues() {
            assertBadRequest(() -> RequestReader.fromRoute("/v1/chat/completions", "model=a&model=b"),
                    "invalid_query");
        }

        @Test
        void acceptsTheSameModelQueryParameterTwice() {
            assertThat(RequestReader.fromRoute("/v1/chat/completions", "model=a&model=a").models())
                    .containsExactly("a");
        }

        @Test
        void refusesAPathAndQueryStringThatNameDifferentModels() {
            assertBadRequest(() -> RequestReader.fromRoute("/engines/a/chat/completions", "model=b"),
                    "conflicting_models");
        }

        @Test
        void acceptsThePathAndQueryStringNamingTheSameModel() {
            assertThat(RequestReader.fromRoute("/engines/a/chat/completions", "model=a").models())
                    .containsExactly("a");
        }

        @Test
        void refusesModelInQueryStringThatDiffersFromBody() {
            assertBadRequest(() -> RequestReader.read("/v1/chat/completions", "model=cheap", JSON,
                    bytes("{\"model\":\"expensive\"}")), "conflicting_models");
        }

        @Test
        void acceptsTheSameModelInQueryAndBody() {
            assertThat(RequestReader.read("/v1/chat/completions", "model=gpt-4o", JSON,
                    bytes("{\"model\":\"gpt-4o\"}")).models()).containsExactly("gpt-4o");
        }

        @Test
        void refusesAPathModelThatDiffersFromTheBody() {
            assertBadRequest(() -> RequestReader.read("/engines/cheap/chat/completions", null, JSON,
                    bytes("{\"model\":\"expensive\"}")), "conflicting_models");
        }

        @Test
        void acceptsAPathModelAndABodyWithoutOne() {
            assertThat(RequestReader.read("/openai/deployments/gpt-4o/chat/completions", null, JSON,
                    bytes("{\"messages\":[]}")).models()).containsExactly("gpt-4o");
        }

        @Test
        void splitsACommaSeparatedPathModelAsLiteLlmBatchesIt() {
            assertThat(RequestReader.fromRoute("/engines/a,b/chat/completions", null).models())
                    .containsExactly("a", "b");
        }
    }

    @Nested
    class JsonBodies {

        @Test
        void readsModelAndUserFromAJsonBody() {
            RequestedAccess access = json("{\"messages\": [], \"model\": \"gpt-4o\", \"user\": \"cust-1\"}");

            assertThat(access).isEqualTo(new RequestedAccess(List.of("gpt-4o"), "cust-1"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"text/plain", "", "application/octet-stream", "application/json; charset=utf-8"})
        void readsJsonWhateverTheContentTypeAsLiteLlmDoes(String contentType) {
            RequestedAccess access = RequestReader.read("/chat/completions", null, contentType,
                    bytes("{\"model\": \"claude\"}"));

            assertThat(access.models()).containsExactly("claude");
        }

        @Test
        void readsJsonWithoutAContentType() {
            assertThat(RequestReader.read("/chat/completions", null, null, bytes("{\"model\":\"m\"}")).models())
                    .containsExactly("m");
        }

        @Test
        void readsJsonAfterLeadingWhitespaceAndAUtf8ByteOrderMark() {
            byte[] body = bytes("\uFEFF \r\n\t{\"model\": \"claude\"}");

            assertThat(body[0]).isEqualTo((byte) 0xEF);
            assertThat(RequestReader.read("/chat/completions", null, JSON, body).models()).containsExactly("claude");
        }

        @Test
        void readsEveryModelOfACommaSeparatedModel() {
            assertThat(json("{\"model\": \"gpt-4o, claude,gemini\"}").models())
                    .containsExactly("gpt-4o", "claude", "gemini");
        }

        @ParameterizedTest
        @ValueSource(strings = {"a,", ",a", "a,,b", " , "})
        void refusesACommaSeparatedModelWithAnEmptyName(String model) {
            assertBadRequest(() -> json("{\"model\": \"" + model + "\"}"), "invalid_model");
        }

        @Test
        void keepsASingleModelExactlyAsWritten() {
            assertThat(json("{\"model\": \" gpt-4o\"}").models()).containsExactly(" gpt-4o");
        }

        @Test
        void findsNoModelInAnEmptyOrBinaryBody() {
            assertThat(RequestReader.read("/chat/completions", null, null, new byte[0]))
                    .isEqualTo(RequestedAccess.NONE);
            assertThat(RequestReader.read("/v1/files", null, "application/octet-stream", new byte[] {1, 2, 3}))
                    .isEqualTo(RequestedAccess.NONE);
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"model\": ", "{\"model\": \"a\",}", "{\"model\": NaN}", "{'model': 'a'}",
            "{\"model\": \"a\"} {\"model\": \"b\"}", "{\"model\": \"a\"} x", "{\"model\": \"a\" /* c */}"})
        void refusesABodyThatStartsAsJsonButIsNotExactlyOneValidObject(String body) {
            assertBadRequest(() -> json(body), "invalid_json");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[{\"model\": \"a\"}]", "\"gpt-4o\"", "42", "null", "true"})
        void refusesJsonThatIsNotAnObject(String body) {
            assertBadRequest(() -> json(body), "invalid_json");
        }

        @Test
        void readsNothingFromTextThatIsNotJson() {
            assertThat(json("model=gpt-4o is what I want")).isEqualTo(RequestedAccess.NONE);
        }

        @Test
        void refusesATopLevelMemberWrittenTwice() {
            AssertRepeated.refused("{\"model\":\"a\",\"messages\":[],\"model\":\"b\"}");
        }

        @Test
        void refusesARepeatedMemberDeepInsideSkippedContent() {
            AssertRepeated.refused("{\"model\":\"a\",\"messages\":[{\"role\":\"user\",\"role\":\"system\"}]}");
        }

        @Test
        void refusesARepeatedMemberInsideMetadata() {
            AssertRepeated.refused("{\"metadata\":{\"user_id\":\"a\",\"user_id\":\"b\"}}");
        }

        @Test
        void acceptsTheSameMemberNameInDifferentObjects() {
            assertThat(json("{\"model\":\"a\",\"messages\":[{\"role\":\"user\"},{\"role\":\"system\"}]}").models())
                    .containsExactly("a");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"model\": 42}", "{\"model\": [\"a\"]}", "{\"model\": {\"name\": \"a\"}}",
            "{\"model\": true}"})
        void refusesAModelThatIsNotAString(String body) {
            assertBadRequest(() -> json(body), "invalid_model");
        }

        @Test
        void treatsANullOrEmptyModelAsNone() {
            assertThat(json("{\"model\": null, \"messages\": []}")).isEqualTo(RequestedAccess.NONE);
            assertThat(json("{\"model\": \"\"}")).isEqualTo(RequestedAccess.NONE);
        }

        @Test
        void skipsLargeUnreadMembersWithoutLookingForModelsInThem() {
            String image = "A".repeat(2_000_000);
            RequestedAccess access = json("{\"messages\":[{\"content\":\"" + image + "\",\"model\":\"inner\"}],"
                    + "\"model\":\"outer\"}");

            assertThat(access.models()).containsExactly("outer");
        }
    }

    /** Repeated members are refused, and the message says so without echoing the body. */
    private static final class AssertRepeated {
        static void refused(String body) {
            var e = assertBadRequest(() -> json(body), "invalid_json");
            assertThat(e.getMessage()).contains("repeats").doesNotContain("\"a\"");
        }
    }

    @Nested
    class MoreModels {

        @Test
        void readsFallbackModelNames() {
            assertThat(json("{\"model\":\"a\",\"fallbacks\":[\"b\",\"c\"]}").models()).containsExactly("a", "b", "c");
        }

        @Test
        void readsClientSideFallbackObjectsAndTheirOwnFallbacks() {
            String body = "{\"model\":\"a\",\"fallbacks\":[{\"model\":\"b\",\"messages\":[],"
                    + "\"fallbacks\":[{\"b\":[\"deep\"]}]}]}";

            assertThat(json(body).models()).containsExactly("a", "b", "deep");
        }

        @Test
        void readsTheRouterConfigShapeTargetsButNotItsTriggerKeys() {
            assertThat(json("{\"model\":\"a\",\"fallbacks\":[{\"a\":[\"b\",{\"model\":\"c\"}]}]}").models())
                    .containsExactly("a", "b", "c");
        }

        @ParameterizedTest
        @ValueSource(strings = {"context_window_fallbacks", "content_policy_fallbacks"})
        void readsEveryFallbackKindTheRouterAccepts(String field) {
            assertThat(json("{\"model\":\"a\",\"" + field + "\":[{\"a\":[\"smuggled\"]}]}").models())
                    .containsExactly("a", "smuggled");
        }

        @Test
        void readsFallbacksWrittenInMetadata() {
            assertThat(json("{\"model\":\"a\",\"metadata\":{\"fallbacks\":[\"b\"]}}").models())
                    .containsExactly("a", "b");
            assertThat(json("{\"model\":\"a\",\"litellm_metadata\":{\"fallbacks\":[\"c\"]}}").models())
                    .containsExactly("a", "c");
        }

        @Test
        void readsFallbacksInRouterSettingsOverride() {
            String body = "{\"model\":\"a\",\"router_settings_override\":{\"num_retries\":2,"
                    + "\"fallbacks\":[{\"a\":[\"b\"]}]}}";

            assertThat(json(body).models()).containsExactly("a", "b");
        }

        @Test
        void refusesRouterSettingsThatCouldRemapModels() {
            assertBadRequest(() -> json("{\"model\":\"a\",\"router_settings_override\":{\"model_group_alias\":"
                    + "{\"a\":\"b\"}}}"), "unsupported_field");
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"b\"", "[42]", "[[\"b\"]]", "[{\"model\": 42}]", "[{\"a\": 42}]", "[\"\"]"})
        void refusesFallbacksItCannotRead(String fallbacks) {
            assertBadRequest(() -> json("{\"model\":\"a\",\"fallbacks\":" + fallbacks + "}"), "invalid_model");
        }

        @Test
        void treatsNullOrEmptyFallbacksAsNone() {
            assertThat(json("{\"model\":\"a\",\"fallbacks\":null}").models()).containsExactly("a");
            assertThat(json("{\"model\":\"a\",\"fallbacks\":[]}").models()).containsExactly("a");
        }

        @Test
        void readsTargetModelNamesAsAStringOrAList() {
            assertThat(json("{\"target_model_names\":\"a, b\"}").models()).containsExactly("a", "b");
            assertThat(json("{\"target_model_names\":[\"a\",\"b\"]}").models()).containsExactly("a", "b");
        }

        @Test
        void refusesTargetModelNamesOfAnotherType() {
            assertBadRequest(() -> json("{\"target_model_names\":{\"a\":1}}"), "invalid_model");
        }

        @Test
        void readsTheCompletionModelOfAnEvaluationRun() {
            assertThat(RequestReader.read("/v1/evals/e1/runs", null, JSON,
                    bytes("{\"completion\":{\"model\":\"gpt-4o\"}}")).models()).containsExactly("gpt-4o");
        }

        @Test
        void listsEachModelOnceInTheOrderNamed() {
            assertThat(json("{\"model\":\"a,b\",\"fallbacks\":[\"b\",\"c\",\"a\"]}").models())
                    .containsExactly("a", "b", "c");
        }

        @Test
        void listsTheModelTheRequestRunsOnFirstWhereverItIsWritten() {
            RequestedAccess access = RequestReader.read("/v1/files", "target_model_names=t1", JSON,
                    bytes("{\"content_policy_fallbacks\":[\"c\"],\"fallbacks\":[\"f\"],\"model\":\"m\"}"));

            assertThat(access.models()).containsExactly("m", "t1", "f", "c");
        }

        @Test
        void refusesMockTestingFallbacks() {
            assertBadRequest(() -> json("{\"model\":\"a\",\"mock_testing_fallbacks\":true}"), "unsupported_field");
        }

        @Test
        void acceptsMockTestingFallbacksSetToFalse() {
            assertThat(json("{\"model\":\"a\",\"mock_testing_fallbacks\":false}").models()).containsExactly("a");
        }

        @ParameterizedTest
        @ValueSource(strings = {"user_config", "context_window_fallback_dict", "model_list", "model_group_alias",
            "default_fallbacks"})
        void refusesFieldsThatMakeTheUpstreamCallModelsItDoesNotName(String field) {
            assertBadRequest(() -> json("{\"model\":\"a\",\"" + field + "\":{\"a\":\"b\"}}"), "unsupported_field");
        }
    }

    @Nested
    class EndUsers {

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
            "{\"user\":\"eu\"}",
            "{\"litellm_metadata\":{\"user\":\"eu\"}}",
            "{\"metadata\":{\"user_id\":\"eu\"}}",
            "{\"metadata\":\"{\\\"user_id\\\":\\\"eu\\\"}\"}",
            "{\"safety_identifier\":\"eu\"}",
        })
        void readsTheEndUserFromEveryBodyPlaceLiteLlmReads(String body) {
            assertThat(json(body).endUser()).isEqualTo("eu");
        }

        @Test
        void readsTheEndUserFromTheHeader() {
            assertThat(RequestReader.read("/v1/chat/completions", null, JSON, bytes("{}"), "eu").endUser())
                    .isEqualTo("eu");
        }

        @Test
        void refusesAHeaderEndUserThatDiffersFromTheBody() {
            assertBadRequest(() -> RequestReader.read("/v1/chat/completions", null, JSON,
                    bytes("{\"user\":\"other\"}"), "eu"), "conflicting_end_users");
        }

        @Test
        void acceptsTheSameEndUserInTheHeaderAndTheBody() {
            assertThat(RequestReader.read("/v1/chat/completions", null, JSON, bytes("{\"user\":\"eu\"}"), "eu")
                    .endUser()).isEqualTo("eu");
        }

        @Test
        void refusesBodyPlacesThatNameDifferentEndUsers() {
            assertBadRequest(() -> json("{\"user\":\"a\",\"metadata\":{\"user_id\":\"b\"}}"),
                    "conflicting_end_users");
        }

        @Test
        void acceptsBodyPlacesThatNameTheSameEndUser() {
            assertThat(json("{\"user\":\"a\",\"litellm_metadata\":{\"user\":\"a\"},\"metadata\":{\"user_id\":\"a\"}}")
                    .endUser()).isEqualTo("a");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{\"user\":42}", "{\"user\":{}}", "{\"metadata\":{\"user_id\":7}}",
            "{\"litellm_metadata\":{\"user\":[\"a\"]}}"})
        void refusesAnEndUserThatIsNotAString(String body) {
            assertBadRequest(() -> json(body), "invalid_end_user");
        }

        @Test
        void treatsBlankEndUsersAsNone() {
            assertThat(RequestReader.read("/v1/chat/completions", null, JSON, bytes("{\"user\":\"\"}"), " ")
                    .endUser()).isNull();
        }

        @Test
        void ignoresMetadataThatIsNeitherAnObjectNorObjectTextAsLiteLlmDoes() {
            assertThat(json("{\"metadata\":\"free text\",\"litellm_metadata\":[1]}")).isEqualTo(
                    RequestedAccess.NONE);
        }

        @Test
        void refusesMetadataTextThatLooksLikeAnObjectButDoesNotParse() {
            assertBadRequest(() -> json("{\"metadata\":\"{\\\"user_id\\\": \"}"), "invalid_json");
        }
    }

    @Nested
    class Limits {

        @Test
        void refusesAModelLongerThan256Characters() {
            assertBadRequest(() -> json("{\"model\":\"" + "m".repeat(257) + "\"}"), "invalid_model");
        }

        @Test
        void acceptsAModelOf256Characters() {
            assertThat(json("{\"model\":\"" + "m".repeat(256) + "\"}").models()).containsExactly("m".repeat(256));
        }

        @Test
        void refusesAPathOrQueryModelLongerThan256Characters() {
            assertBadRequest(() -> RequestReader.fromRoute("/engines/" + "m".repeat(257) + "/chat/completions",
                    null), "invalid_model");
            assertBadRequest(() -> RequestReader.fromRoute("/v1/chat/completions", "model=" + "m".repeat(257)),
                    "invalid_model");
        }

        @Test
        void refusesAFallbackLongerThan256Characters() {
            assertBadRequest(() -> json("{\"model\":\"a\",\"fallbacks\":[\"" + "f".repeat(257) + "\"]}"),
                    "invalid_model");
        }

        @Test
        void refusesAnEndUserLongerThan256Characters() {
            assertBadRequest(() -> json("{\"user\":\"" + "u".repeat(257) + "\"}"), "invalid_end_user");
            assertBadRequest(() -> RequestReader.read("/v1/chat/completions", null, JSON, new byte[0],
                    "u".repeat(257)), "invalid_end_user");
        }

        @Test
        void acceptsAnEndUserOf256Characters() {
            assertThat(json("{\"user\":\"" + "u".repeat(256) + "\"}").endUser()).hasSize(256);
        }

        @Test
        void refusesMoreThan64Models() {
            StringBuilder fallbacks = new StringBuilder();
            for (int i = 0; i < 64; i++) {
                fallbacks.append(i == 0 ? "" : ",").append("\"f").append(i).append('"');
            }
            assertBadRequest(() -> json("{\"model\":\"a\",\"fallbacks\":[" + fallbacks + "]}"), "invalid_model");
        }

        @Test
        void accepts64Models() {
            StringBuilder fallbacks = new StringBuilder();
            for (int i = 1; i < 64; i++) {
                fallbacks.append(i == 1 ? "" : ",").append("\"f").append(i).append('"');
            }
            assertThat(json("{\"model\":\"a\",\"fallbacks\":[" + fallbacks + "]}").models()).hasSize(64);
        }

        @Test
        void readsAPathOfManyColonsAndSlashesWithoutBacktracking() {
            String model = ":a/".repeat(60);
            assertThat(RequestReader.fromRoute("/v1beta/models/" + model + "x:generateContent", null).models())
                    .containsExactly(model + "x");
        }
    }

    @Nested
    class UrlEncodedForms {

        private static final String FORM = "application/x-www-form-urlencoded";

        @Test
        void readsModelAndUserFromAUrlEncodedBodyAsStarletteDecodesIt() {
            RequestedAccess access = RequestReader.read("/v1/chat/completions", null, FORM,
                    bytes("prompt=hi+there&model=gpt%2D4o&user=caf%C3%A9"));

            assertThat(access).isEqualTo(new RequestedAccess(List.of("gpt-4o"), "café"));
        }

        @Test
        void refusesAFormFieldRepeatedThatStarletteWouldKeepTheLastOf() {
            assertBadRequest(() -> RequestReader.read("/v1/chat/completions", null, FORM,
                    bytes("model=cheap&model=expensive")), "invalid_form");
        }

        @Test
        void acceptsOtherFieldsRepeated() {
            assertThat(RequestReader.read("/v1/chat/completions", null, FORM, bytes("x=1&x=2&model=a")).models())
                    .containsExactly("a");
        }

        @Test
        void refusesASemicolonThatPythonMultipartMightSplitOn() {
            assertBadRequest(() -> RequestReader.read("/v1/chat/completions", null, FORM,
                    bytes("x=1;model=a")), "invalid_form");
        }

        @Test
        void readsAJsonBodySentWithTheFormContentTypeAsJson() {
            // curl -d sends JSON with the urlencoded type; Starlette reads it as a form that names nothing here.
            RequestedAccess access = RequestReader.read("/v1/chat/completions", null, FORM,
                    bytes("{\"model\":\"a\",\"messages\":[{\"content\":\"hello\"}]}"));

            assertThat(access.models()).containsExactly("a");
        }

        @Test
        void refusesAJsonBodyWhoseFormReadingNamesAnotherModel() {
            // Starlette would read this body as a form with model='evil"}]}': both readings are checked.
            assertBadRequest(() -> RequestReader.read("/v1/chat/completions", null, FORM,
                    bytes("{\"model\":\"a\",\"messages\":[{\"content\":\"x&model=evil\"}]}")),
                    "conflicting_models");
        }

        @Test
        void refusesMockTestingFallbacksInAForm() {
            assertBadRequest(() -> RequestReader.read("/v1/audio/transcriptions", null, FORM,
                    bytes("model=a&mock_testing_fallbacks=true")), "unsupported_field");
        }

        @Test
        void acceptsMockTestingFallbacksSetToFalseInAForm() {
            assertThat(RequestReader.read("/v1/audio/transcriptions", null, FORM,
                    bytes("model=a&mock_testing_fallbacks=false")).models()).containsExactly("a");
        }

        @Test
        void refusesFormFallbacksThatAreNotJson() {
            assertBadRequest(() -> RequestReader.read("/v1/audio/transcriptions", null, FORM,
                    bytes("model=a&fallbacks=%5Bb")), "invalid_json");
        }

        @Test
        void readsFormFallbacksWrittenAsJson() {
            assertThat(RequestReader.read("/v1/audio/transcriptions", null, FORM,
                    bytes("model=a&fallbacks=%5B%22b%22%5D")).models()).containsExactly("a", "b");
        }
    }

    @Nested
    class MultipartForms {

        private static final String TYPE = "multipart/form-data; boundary=xyz";

        private static String field(String disposition, String value) {
            return "--xyz\r\nContent-Disposition: " + disposition + "\r\n\r\n" + value + "\r\n";
        }

        private static RequestedAccess multipart(String body) {
            return RequestReader.read("/v1/audio/transcriptions", null, TYPE, bytes(body));
        }

        @Test
        void readsModelAndUserFromFieldsButNotFromFiles() {
            String body = field("form-data; name=\"file\"; filename=\"model\"", "fake")
                    + field("form-data; name=\"model\"", "whisper-1")
                    + field("form-data; name=\"user\"", "cust-2") + "--xyz--\r\n";

            assertThat(multipart(body)).isEqualTo(new RequestedAccess(List.of("whisper-1"), "cust-2"));
        }

        @Test
        void readsAnUnquotedFieldNameAsStarletteDoes() {
            assertThat(multipart(field("form-data; name=model", "whisper-1") + "--xyz--").models())
                    .containsExactly("whisper-1");
        }

        @Test
        void readsAQuotedBoundaryAndCaseInsensitiveHeaders() {
            String body = "--a b\r\ncontent-disposition: form-data; NAME=\"model\"\r\n\r\nwhisper-1\r\n--a b--\r\n";
            assertThat(RequestReader.read("/v1/audio/transcriptions", null,
                    "Multipart/Form-Data; boundary=\"a b\"", bytes(body)).models()).containsExactly("whisper-1");
        }

        @Test
        void keepsTheFieldValueExactlyAsStarletteDoes() {
            assertThat(multipart(field("form-data; name=\"model\"", " whisper-1 ") + "--xyz--").models())
                    .containsExactly(" whisper-1 ");
        }

        @Test
        void refusesAFilePartNamedLikeAFieldItReads() {
            String body = field("form-data; name=\"model\"; filename=\"m.txt\"", "whisper-1") + "--xyz--";
            assertBadRequest(() -> multipart(body), "invalid_form");
        }

        @Test
        void refusesARepeatedModelField() {
            String body = field("form-data; name=\"model\"", "cheap") + field("form-data; name=\"model\"",
                    "expensive") + "--xyz--";
            assertBadRequest(() -> multipart(body), "invalid_form");
        }

        @Test
        void refusesAModelFieldThatDiffersFromTheQueryString() {
            String body = field("form-data; name=\"model\"", "cheap") + "--xyz--";
            assertBadRequest(() -> RequestReader.read("/v1/audio/transcriptions", "model=expensive", TYPE,
                    bytes(body)), "conflicting_models");
        }

        @Test
        void readsEndUserFromMetadataSentAsJsonText() {
            String body = field("form-data; name=\"model\"", "whisper-1")
                    + field("form-data; name=\"metadata\"", "{\"user_id\":\"eu\"}") + "--xyz--";
            assertThat(multipart(body).endUser()).isEqualTo("eu");
        }

        @Test
        void readsFallbacksSentAsJsonText() {
            String body = field("form-data; name=\"model\"", "a") + field("form-data; name=\"fallbacks\"",
                    "[\"b\"]") + "--xyz--";
            assertThat(multipart(body).models()).containsExactly("a", "b");
        }

        @Test
        void findsFieldsAfterALargeBinaryFile() {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(bytes("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
                    + "Content-Type: audio/wav\r\n\r\n"));
            byte[] audio = new byte[3_000_000];
            for (int i = 0; i < audio.length; i++) {
                audio[i] = (byte) (i * 31 % 251);
            }
            body.writeBytes(audio);
            body.writeBytes(bytes("\r\n" + field("form-data; name=\"model\"", "whisper-1") + "--xyz--\r\n"));

            assertThat(RequestReader.read("/v1/audio/transcriptions", null, TYPE, body.toByteArray()).models())
                    .containsExactly("whisper-1");
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "preamble\r\n--xyz\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\na\r\n--xyz--",
            "--xyz\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\na",
            "--xyz\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\na\r\n--xyzX\r\n--xyz--",
            "--xyz\r\nContent-Type: text/plain\r\n\r\na\r\n--xyz--",
            "--xyz\r\nContent-Disposition: form-data\r\n\r\na\r\n--xyz--",
            "--xyz\r\nContent-Disposition: form-data; name=\"model\"\r\nContent-Disposition: form-data; "
                    + "name=\"user\"\r\n\r\na\r\n--xyz--",
            "--xyz\r\nContent-Disposition: form-data; name=\"x\"; name=\"model\"\r\n\r\na\r\n--xyz--",
            "--xyz\r\nContent-Disposition: form-data; name*=utf-8''model\r\n\r\na\r\n--xyz--",
            "--xyz\r\nContent-Disposition: form-data; name=\"mo\\\"del\"\r\n\r\na\r\n--xyz--",
            "--xyz\r\nbroken header line\r\n\r\na\r\n--xyz--",
        })
        void refusesABodyItCannotSplitUnambiguously(String body) {
            assertBadRequest(() -> multipart(body), "invalid_form");
        }

        @ParameterizedTest
        @ValueSource(strings = {"multipart/form-data", "multipart/form-data; boundary=",
            "multipart/form-data; boundary=xyz; charset=latin-1"})
        void refusesAContentTypeWithoutAUsableBoundaryOrCharset(String contentType) {
            assertBadRequest(() -> RequestReader.read("/v1/audio/transcriptions", null, contentType,
                    bytes(field("form-data; name=\"model\"", "a") + "--xyz--")), "invalid_form");
        }

        @Test
        void readsNothingFromAFormWithoutTheFieldsItReads() {
            assertThat(multipart(field("form-data; name=\"language\"", "en") + "--xyz--"))
                    .isEqualTo(RequestedAccess.NONE);
        }
    }
}
