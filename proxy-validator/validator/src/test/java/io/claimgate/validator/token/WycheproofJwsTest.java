package io.claimgate.validator.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.validator.AuthException;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Project Wycheproof's JWS vectors through {@link TokenVerifier#verifySignature(String)}, the stage
 * {@link TokenVerifier#verify(String)} runs first (the vectors' payloads are not claims sets, so claims are not
 * checked). Each group's public key becomes a {@link StaticKeySource}.
 */
class WycheproofJwsTest {

    private static final String FILE = "/wycheproof/json_web_signature_test.json";

    /** Labelled valid, refused on purpose: HMAC is never accepted (algorithm confusion), see the docs. */
    private static final Set<Integer> HMAC_REFUSED_BY_DESIGN = Set.of(1, 348, 352, 357, 358, 359, 376, 377);

    /** Labelled valid, refused because the key's declared {@code alg} differs from the token's {@code alg}. */
    private static final Map<Integer, String> KEY_ALG_CONFLICT = Map.of(
            346, "key declares alg PS256, token uses PS384",
            350, "key declares alg PS256, token uses PS384",
            347, "key declares alg ES521 (no such JWS algorithm), token uses ES512",
            351, "key declares alg ES521 (no such JWS algorithm), token uses ES512");

    /** Mislabelled in the vectors themselves. */
    private static final Map<Integer, String> MISLABELLED = Map.of(
            367, "labelled invalid but byte-identical to the valid tc357 (we refuse it anyway: HMAC)",
            370, "labelled invalid but byte-identical to the valid tc357 (we refuse it anyway: HMAC)",
            372, "labelled valid although its header contains '?', not base64url: refused as malformed",
            373, "labelled valid although its payload contains '?', not base64url: refused as malformed");

    /** Vectors about base64 spelling: hygiene must refuse them before the HMAC refusal could. */
    private static final Set<Integer> NON_CANONICAL_BASE64 =
            Set.of(360, 361, 362, 363, 364, 365, 366, 368, 369, 371, 372, 373, 374, 375);

    private static JsonNode vectors() throws IOException {
        try (InputStream in = WycheproofJwsTest.class.getResourceAsStream(FILE)) {
            assertThat(in).as(FILE).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    private static boolean expectAccepted(int id, String result) {
        if (HMAC_REFUSED_BY_DESIGN.contains(id) || KEY_ALG_CONFLICT.containsKey(id) || MISLABELLED.containsKey(id)) {
            return false;
        }
        return "valid".equals(result);
    }

    @TestFactory
    Stream<DynamicTest> everyJwsVectorGetsItsVerdictFromTheSignatureStage() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode group : vectors().get("testGroups")) {
            KeySource keys = keySource(group.get("public"));
            TokenVerifier verifier = new TokenVerifier(JwtAuthSettings.defaults().token(), keys);
            for (JsonNode vector : group.get("tests")) {
                int id = vector.get("tcId").asInt();
                String result = vector.get("result").asText();
                String jws = vector.get("jws").isTextual() ? vector.get("jws").asText() : vector.get("jws").toString();
                String name = "tc" + id + " " + vector.get("comment").asText() + " (" + result + ")";
                tests.add(DynamicTest.dynamicTest(name, () -> check(verifier, id, result, jws)));
            }
        }
        assertThat(tests).hasSize(vectors().get("numberOfTests").asInt());
        return tests.stream();
    }

    private static void check(TokenVerifier verifier, int id, String result, String jws) {
        AuthException refusal = null;
        try {
            verifier.verifySignature(jws);
        } catch (AuthException e) {
            refusal = e;
        } catch (RuntimeException | Error e) {
            fail("tc" + id + " escaped as " + e.getClass().getName(), e);
        }
        if (expectAccepted(id, result)) {
            assertThat(refusal).as("tc%d must be accepted", id).isNull();
            return;
        }
        assertThat(refusal).as("tc%d must be refused", id).isNotNull();
        assertThat(refusal.status()).isEqualTo(401);
        if (HMAC_REFUSED_BY_DESIGN.contains(id)) {
            assertThat(refusal.reason()).isEqualTo(Rejection.UNSUPPORTED_ALG);
        }
        if (KEY_ALG_CONFLICT.containsKey(id)) {
            assertThat(refusal.reason()).as(KEY_ALG_CONFLICT.get(id)).isEqualTo(Rejection.KEY_ALG_MISMATCH);
        }
        if (NON_CANONICAL_BASE64.contains(id)) {
            assertThat(refusal.reason()).isEqualTo(Rejection.MALFORMED_TOKEN);
        }
    }

    @Test
    void acceptsExactlyTheValidVectorsWeSupport() throws IOException {
        int accepted = 0;
        int refused = 0;
        int expectedAccepted = 0;
        for (JsonNode group : vectors().get("testGroups")) {
            TokenVerifier verifier = new TokenVerifier(JwtAuthSettings.defaults().token(),
                    keySource(group.get("public")));
            for (JsonNode vector : group.get("tests")) {
                int id = vector.get("tcId").asInt();
                if (expectAccepted(id, vector.get("result").asText())) {
                    expectedAccepted++;
                }
                try {
                    verifier.verifySignature(vector.get("jws").isTextual() ? vector.get("jws").asText() : "{}");
                    accepted++;
                } catch (AuthException e) {
                    refused++;
                }
            }
        }
        // 32 RS/PS/ES vectors are valid and supported; the other 369 are refused (invalid, HMAC, or key alg conflict).
        assertThat(accepted).isEqualTo(expectedAccepted).isEqualTo(32);
        assertThat(accepted + refused).isEqualTo(401);
    }

    private static KeySource keySource(JsonNode publicKey) throws IOException {
        if (publicKey == null) {
            return StaticKeySource.of(List.of());
        }
        try {
            return StaticKeySource.of(JWK.parse(publicKey.toString()));
        } catch (java.text.ParseException e) {
            throw new IOException("unreadable group key", e);
        }
    }
}
