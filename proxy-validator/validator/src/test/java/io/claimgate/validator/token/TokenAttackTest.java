package io.claimgate.validator.token;

import io.claimgate.model.JwtAuthSettings;
import io.claimgate.validator.AuthException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static io.claimgate.validator.token.TestKeys.P256;
import static io.claimgate.validator.token.TestKeys.RSA;
import static io.claimgate.validator.token.TestKeys.b64;
import static io.claimgate.validator.token.TestKeys.sign;
import static io.claimgate.validator.token.TokenVerifierTest.CLOCK;
import static io.claimgate.validator.token.TokenVerifierTest.NOW;
import static io.claimgate.validator.token.TokenVerifierTest.claims;
import static io.claimgate.validator.token.TokenVerifierTest.rejection;
import static io.claimgate.validator.token.TokenVerifierTest.verifier;
import static org.assertj.core.api.Assertions.assertThat;

/** Known attacks on JWT verifiers, one test each: every one must end in a 401 with the expected reason. */
class TokenAttackTest {

    private final TokenVerifier verifier = verifier(RSA, P256);

    private static String header(String json) {
        return b64(json);
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "None", "NONE", "nOnE"})
    void rejectsAlgNoneInAnyCase(String alg) {
        String token = header("{\"alg\":\"" + alg + "\",\"kid\":\"rsa-1\"}") + "." + b64(claims("")) + ".";
        String withSignature = header("{\"alg\":\"" + alg + "\",\"kid\":\"rsa-1\"}") + "." + b64(claims(""))
                + ".c2ln";

        assertThat(rejection(verifier, token).reason()).isEqualTo(Rejection.MALFORMED_TOKEN);
        assertThat(rejection(verifier, withSignature).reason()).isEqualTo(Rejection.UNSUPPORTED_ALG);
    }

    @Test
    void rejectsTokenSignedWithHmacUsingPublicKey() throws Exception {
        byte[] publicKeyAsSecret = RSA.toRSAPublicKey().getEncoded();
        String token = TestKeys.signHmac(publicKeyAsSecret, "{\"alg\":\"HS256\",\"kid\":\"rsa-1\"}", claims(""));

        assertThat(rejection(verifier, token).reason()).isEqualTo(Rejection.UNSUPPORTED_ALG);
    }

    @Test
    void rejectsUnknownAlgorithms() {
        for (String alg : List.of("ES256K", "RS1", "rs256", "HS512", "RSA-OAEP", "eddsa", "Ed25519", "Ed448")) {
            String token = sign(RSA, "RS256", "{\"alg\":\"" + alg + "\",\"kid\":\"rsa-1\"}", claims(""));
            assertThat(rejection(verifier, token).reason()).as(alg).isEqualTo(Rejection.UNSUPPORTED_ALG);
        }
    }

    @Test
    void rejectsEdDsaTokenWhoseKidNamesAnRsaKey() {
        // EdDSA is accepted now, but only with an Ed25519 key: an RSA key's bytes never verify it.
        String token = sign(RSA, "RS256", "{\"alg\":\"EdDSA\",\"kid\":\"rsa-1\"}", claims(""));

        assertThat(rejection(verifier, token).reason()).isEqualTo(Rejection.KEY_ALG_MISMATCH);
    }

    @Test
    void rejectsEmbeddedJwkHeader() throws Exception {
        // The attacker signs with their own key and offers its public half in the header.
        var attacker = TestKeys.rsa("rsa-1");
        String jwk = attacker.toPublicJWK().toJSONString();
        String token = sign(attacker, "RS256", "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"jwk\":" + jwk + "}", claims(""));

        assertThat(rejection(verifier, token).reason()).isEqualTo(Rejection.FORBIDDEN_HEADER);
    }

    @Test
    void rejectsJkuHeader() {
        String token = sign(RSA, "RS256", "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"jku\":\"https://evil.example/jwks\"}",
                claims(""));

        assertThat(rejection(verifier, token).reason()).isEqualTo(Rejection.FORBIDDEN_HEADER);
    }

    @Test
    void rejectsX5uHeader() {
        String token = sign(RSA, "RS256", "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"x5u\":\"https://evil.example/c\"}",
                claims(""));

        assertThat(rejection(verifier, token).reason()).isEqualTo(Rejection.FORBIDDEN_HEADER);
    }

    @Test
    void rejectsX5cHeader() {
        String token = sign(RSA, "RS256", "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"x5c\":[\"MIIB\"]}", claims(""));

        assertThat(rejection(verifier, token).reason()).isEqualTo(Rejection.FORBIDDEN_HEADER);
    }

    @Test
    void rejectsCritHeaderEvenWithAValidSignature() {
        String token = sign(RSA, "RS256", "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"crit\":[\"b64\"],\"b64\":false}",
                claims(""));

        assertThat(rejection(verifier, token).reason()).isEqualTo(Rejection.FORBIDDEN_HEADER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../../dev/null", "' OR 1=1 --", "/etc/passwd", "http://evil.example/k", "%00"})
    void kidInjectionStringsSimplyDoNotMatch(String kid) {
        String token = sign(RSA, "RS256", "{\"alg\":\"RS256\",\"kid\":\"" + kid.replace("\"", "\\\"") + "\"}",
                claims(""));

        assertThat(rejection(verifier, token).reason()).isEqualTo(Rejection.UNKNOWN_KID);
    }

    @Test
    void rejectsTenKilobyteKid() {
        String token = sign(RSA, "RS256", "{\"alg\":\"RS256\",\"kid\":\"" + "k".repeat(10_240) + "\"}", claims(""));

        assertThat(rejection(verifier, token).reason()).isEqualTo(Rejection.INVALID_KID);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa-1\\u0000", "rsa\\n1", "\\u001b[31mred", "rsa-1\\u007f", "caf\\u00e9", ""})
    void rejectsKidWithControlOrNonAsciiCharacters(String kid) {
        String token = sign(RSA, "RS256", "{\"alg\":\"RS256\",\"kid\":\"" + kid + "\"}", claims(""));

        assertThat(rejection(verifier, token).reason()).isEqualTo(Rejection.INVALID_KID);
    }

    @Test
    void rejectsExpiredToken() {
        AuthException e = rejection(verifier, sign(RSA, "RS256", claims("").replace(
                "\"exp\":" + (NOW + 300), "\"exp\":" + (NOW - 3600))));

        assertThat(e.getMessage()).isEqualTo("Token Expired");
    }

    @Test
    void rejectsTokenNotYetValid() {
        assertThat(rejection(verifier, sign(RSA, "RS256", claims("\"nbf\":" + (NOW + 3600)))).reason())
                .isEqualTo(Rejection.NOT_YET_VALID);
    }

    @Test
    void rejectsTokenWithoutExp() {
        assertThat(rejection(verifier(JwtAuthSettings.defaults(), RSA), sign(RSA, "RS256", "{\"sub\":\"a\"}"))
                .reason()).isEqualTo(Rejection.MISSING_EXP);
    }

    @Test
    void rejectsWrongAudience() {
        TokenVerifier strict = verifier(
                    JwtAuthSettings.defaults().environment(Map.of("JWT_AUDIENCE", "litellm")), RSA);

        assertThat(rejection(strict, sign(RSA, "RS256", claims("\"aud\":\"other-app\""))).reason())
                .isEqualTo(Rejection.AUDIENCE_MISMATCH);
    }

    @Test
    void rejectsWrongIssuer() {
        String token = sign(RSA, "RS256", claims("").replace("https://idp.example/realms/r", "https://evil/realms/r"));

        assertThat(rejection(verifier, token).reason()).isEqualTo(Rejection.ISSUER_MISMATCH);
    }

    @Test
    void rejectsEcdsaSignatureWithRAndSZero() {
        String token = header("{\"alg\":\"ES256\",\"kid\":\"ec-256\"}") + "." + b64(claims("")) + "."
                + b64(new byte[64]);

        assertThat(rejection(verifier, token).reason()).isEqualTo(Rejection.BAD_SIGNATURE);
    }

    @Test
    void rejectsBase64Padding() {
        String token = sign(RSA, "RS256", claims(""));

        assertThat(rejection(verifier, token + "==").reason()).isEqualTo(Rejection.MALFORMED_TOKEN);
        assertThat(rejection(verifier, token.replaceFirst("\\.", "=.")).reason()).isEqualTo(Rejection.MALFORMED_TOKEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"+", "/", " ", "\n", "\u00e9"})
    void rejectsCharactersOutsideBase64url(String bad) {
        String token = sign(RSA, "RS256", claims(""));
        int inSignature = token.lastIndexOf('.') + 5;

        String forged = token.substring(0, inSignature) + bad + token.substring(inSignature + 1);

        assertThat(rejection(verifier, forged).reason()).isEqualTo(Rejection.MALFORMED_TOKEN);
    }

    @Test
    void rejectsNonCanonicalTrailingBits() {
        // Pad the payload so its base64url length is not a multiple of 4: its last character then has unused bits.
        String payload = claims("\"pad\":\"\"");
        while (b64(payload).length() % 4 == 0) {
            payload = payload.replace("\"pad\":\"", "\"pad\":\"x");
        }
        String token = sign(RSA, "RS256", payload);
        String[] parts = token.split("\\.");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = parts[1].charAt(parts[1].length() - 1);
        // Same decoded bytes, but a nonzero unused bit: a second spelling of the same token.
        char flipped = alphabet.charAt(alphabet.indexOf(last) ^ 1);
        String forged = parts[0] + "." + parts[1].substring(0, parts[1].length() - 1) + flipped + "." + parts[2];

        assertThat(verifier.verify(token)).isNotNull();
        assertThat(rejection(verifier, forged).reason()).isEqualTo(Rejection.MALFORMED_TOKEN);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 5})
    void rejectsWrongNumberOfSegments(int segments) {
        String[] parts = sign(RSA, "RS256", claims("")).split("\\.");
        StringBuilder token = new StringBuilder(parts[0]);
        for (int i = 1; i < segments; i++) {
            token.append('.').append(parts[Math.min(i, 2)]);
        }

        assertThat(rejection(verifier, token.toString()).reason()).isEqualTo(Rejection.MALFORMED_TOKEN);
    }

    @Test
    void rejectsFourMegabyteTokenWithoutParsingIt() {
        // Valid-looking segments: only the size check can refuse it, and it must do so before any decoding.
        String huge = header("{\"alg\":\"RS256\"}") + "." + "A".repeat(4 * 1024 * 1024) + ".c2ln";

        AuthException e = rejection(verifier, huge);

        assertThat(e.reason()).isEqualTo(Rejection.TOKEN_TOO_LARGE);
        assertThat(e.getCause()).isNull();
    }

    @Test
    void rejectsDeeplyNestedClaimsWithoutStackOverflow() {
        String nested = "[".repeat(10_000) + "]".repeat(10_000);
        TokenVerifier roomy = new TokenVerifier(
                JwtAuthSettings.fromLiteLlm(Map.of("max_token_length", 64 * 1024)).token(),
                StaticKeySource.of(RSA), null, CLOCK);

        AuthException e = rejection(roomy, sign(RSA, "RS256", claims("\"deep\":" + nested)));

        assertThat(e.reason()).isEqualTo(Rejection.MALFORMED_TOKEN);
    }

    @Test
    void rejectsDeeplyNestedHeaderWithoutStackOverflow() {
        String nested = "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000);
        TokenVerifier roomy = new TokenVerifier(
                JwtAuthSettings.fromLiteLlm(Map.of("max_token_length", 64 * 1024)).token(),
                StaticKeySource.of(RSA), null, CLOCK);
        String token = sign(RSA, "RS256", "{\"alg\":\"RS256\",\"x\":" + nested + "}", claims(""));

        assertThat(rejection(roomy, token).reason()).isEqualTo(Rejection.MALFORMED_TOKEN);
    }

    @Test
    void rejectsIdTokenUsedAsAccessToken() {
        String idToken = sign(RSA, "RS256", claims("\"typ\":\"ID\",\"azp\":\"litellm\",\"nonce\":\"n\""));

        assertThat(rejection(verifier, idToken).reason()).isEqualTo(Rejection.WRONG_TOKEN_TYPE);
    }
}
