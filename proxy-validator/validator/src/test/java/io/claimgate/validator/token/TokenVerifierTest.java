package io.claimgate.validator.token;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.validator.AuthException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Security;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.claimgate.validator.token.TestKeys.ED25519;
import static io.claimgate.validator.token.TestKeys.P256;
import static io.claimgate.validator.token.TestKeys.P384;
import static io.claimgate.validator.token.TestKeys.P521;
import static io.claimgate.validator.token.TestKeys.RSA;
import static io.claimgate.validator.token.TestKeys.RSA_OTHER;
import static io.claimgate.validator.token.TestKeys.b64;
import static io.claimgate.validator.token.TestKeys.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TokenVerifierTest {

    static final long NOW = 1_800_000_000L;
    static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);

    static TokenVerifier verifier(JwtAuthSettings settings, JWK... keys) {
        return new TokenVerifier(settings.token(), StaticKeySource.of(List.of(keys)), null, CLOCK);
    }

    static TokenVerifier verifier(JWK... keys) {
        return verifier(JwtAuthSettings.defaults().environment(Map.of("JWT_ISSUER", "https://idp.example/realms/r")),
                keys);
    }

    /** Claims valid at {@link #NOW}, issued by the default issuer, plus {@code extra} members. */
    static String claims(String extra) {
        return "{\"sub\":\"alice\",\"iss\":\"https://idp.example/realms/r\",\"iat\":" + NOW + ",\"exp\":" + (NOW + 300)
                + (extra.isEmpty() ? "" : "," + extra) + "}";
    }

    static AuthException rejection(TokenVerifier verifier, String token) {
        return catchThrowableOfType(AuthException.class, () -> verifier.verify(token));
    }

    @Nested
    class AcceptedTokens {

        @ParameterizedTest
        @ValueSource(strings = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"})
        void verifiesRsaSignatures(String alg) {
            VerifiedToken verified = verifier(RSA).verify(sign(RSA, alg, claims("")));

            assertThat(verified.claims()).containsEntry("sub", "alice");
            assertThat(verified.keyId()).isEqualTo("rsa-1");
        }

        @ParameterizedTest
        @CsvSource({"ES256,ec-256", "ES384,ec-384", "ES512,ec-521"})
        void verifiesEcdsaSignaturesOnTheMatchingCurve(String alg, String kid) {
            TokenVerifier verifier = verifier(P256, P384, P521);
            JWK key = List.of(P256, P384, P521).stream().filter(k -> k.getKeyID().equals(kid)).findFirst().get();

            assertThat(verifier.verify(sign(key, alg, claims(""))).keyId()).isEqualTo(kid);
        }

        @Test
        void verifiesEdDsaSignatureOfAnEd25519Key() {
            TokenVerifier verifier = verifier(RSA, P256, ED25519);

            VerifiedToken verified = verifier.verify(sign(ED25519, "EdDSA", claims("")));

            assertThat(verified.keyId()).isEqualTo("ed-25519");
            assertThat(verified.claims()).containsEntry("sub", "alice");
        }

        @Test
        void verifiesEdDsaWithAKeyThatDeclaresEdDsa() {
            OctetKeyPair declared = new OctetKeyPair.Builder(ED25519).algorithm(JWSAlgorithm.EdDSA).build();

            assertThat(verifier(declared).verify(sign(ED25519, "EdDSA", claims(""))).keyId()).isEqualTo("ed-25519");
        }

        @Test
        void exposesClaimsAsPlainJsonTypesWithNumericDates() {
            String token = sign(RSA, "RS256", claims("\"roles\":[\"a\",\"b\"],\"n\":1.5,\"ok\":true,\"m\":{\"k\":null}"));

            VerifiedToken verified = verifier(RSA).verify(token);

            assertThat(verified.claims().get("exp")).isEqualTo(NOW + 300);
            assertThat(verified.claims().get("iat")).isInstanceOf(Long.class);
            assertThat(verified.claims().get("roles")).isEqualTo(List.of("a", "b"));
            assertThat(verified.claims().get("n")).isEqualTo(1.5);
            assertThat(verified.claims().get("ok")).isEqualTo(true);
            assertThat(verified.expiresAt()).isEqualTo(NOW + 300);
        }

        @Test
        void hashesTheWholeTokenAsLowerCaseSha256Hex() throws Exception {
            String token = sign(RSA, "RS256", claims(""));

            String expected = HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));

            assertThat(verifier(RSA).verify(token).tokenHash()).isEqualTo(expected).hasSize(64);
        }

        @Test
        void usesTheGivenProviderForSignaturesWithoutInstallingIt() {
            int installed = Security.getProviders().length;
            TokenVerifier ecOnly = new TokenVerifier(JwtAuthSettings.defaults().token(),
                    StaticKeySource.of(List.of(RSA, P256)), Security.getProvider("SunEC"), CLOCK);

            assertThat(ecOnly.verify(sign(P256, "ES256", claims(""))).keyId()).isEqualTo("ec-256");
            // SunEC has no RSA: an RS256 token fails only because the given provider is the one in use.
            assertThat(rejection(ecOnly, sign(RSA, "RS256", claims(""))).reason()).isEqualTo(Rejection.BAD_SIGNATURE);
            assertThat(Security.getProviders()).hasSize(installed);
        }
    }

    @Nested
    class InputHygiene {

        @Test
        void rejectsMissingToken() {
            assertThat(rejection(verifier(RSA), null).reason()).isEqualTo(Rejection.MISSING_TOKEN);
            assertThat(rejection(verifier(RSA), "").status()).isEqualTo(401);
        }

        @Test
        void rejectsTokenLongerThanMaxTokenLengthBeforeReadingIt() {
            String huge = "a".repeat(20_000);

            AuthException e = rejection(verifier(RSA), huge);

            assertThat(e.reason()).isEqualTo(Rejection.TOKEN_TOO_LARGE);
            assertThat(e.getMessage()).startsWith("Validation fails: ");
        }

        @ParameterizedTest
        @ValueSource(strings = {"eyJhbGciOiJSUzI1NiJ9.e30", "a.b.c.d", "a.b.c.d.e", "..", "eyJ9..sig", ".e30.c2ln"})
        void rejectsTokensThatAreNotThreeNonEmptySegments(String token) {
            assertThat(rejection(verifier(RSA), token).reason()).isEqualTo(Rejection.MALFORMED_TOKEN);
        }

        @Test
        void rejectsTrailingDataAfterTheSignature() {
            String token = sign(RSA, "RS256", claims(""));

            assertThat(rejection(verifier(RSA), token + ".").reason()).isEqualTo(Rejection.MALFORMED_TOKEN);
        }

        @Test
        void rejectsHeaderThatIsNotJson() {
            String token = b64("not json") + "." + b64(claims("")) + ".c2ln";

            assertThat(rejection(verifier(RSA), token).reason()).isEqualTo(Rejection.MALFORMED_TOKEN);
        }

        @Test
        void rejectsDuplicateHeaderMembers() {
            String token = sign(RSA, "RS256", "{\"alg\":\"RS256\",\"kid\":\"rsa-1\",\"alg\":\"none\"}", claims(""));

            assertThat(rejection(verifier(RSA), token).reason()).isEqualTo(Rejection.MALFORMED_TOKEN);
        }

        @Test
        void rejectsDuplicateClaims() {
            String token = sign(RSA, "RS256", claims("\"exp\":" + (NOW + 999_999)));

            assertThat(rejection(verifier(RSA), token).reason()).isEqualTo(Rejection.MALFORMED_TOKEN);
        }

        @Test
        void rejectsPayloadThatIsNotAJsonObject() {
            String token = sign(RSA, "RS256", "[1,2]");

            assertThat(rejection(verifier(RSA), token).reason()).isEqualTo(Rejection.MALFORMED_TOKEN);
        }
    }

    @Nested
    class KeyChoice {

        @Test
        void tokenWithoutKidVerifiesWhenTheSourceHasExactlyOneKey() {
            String token = sign(RSA, "RS256", "{\"alg\":\"RS256\"}", claims(""));

            assertThat(verifier(RSA).verify(token).keyId()).isEqualTo("rsa-1");
        }

        @Test
        void tokenWithoutKidIsRefusedWhenTheSourceHasSeveralKeys() {
            String token = sign(RSA, "RS256", "{\"alg\":\"RS256\"}", claims(""));

            assertThat(rejection(verifier(RSA, RSA_OTHER), token).reason()).isEqualTo(Rejection.UNKNOWN_KID);
        }

        @Test
        void choosesTheKeyNamedByKid() {
            TokenVerifier verifier = verifier(RSA, RSA_OTHER);

            assertThat(verifier.verify(sign(RSA_OTHER, "RS256", claims(""))).keyId()).isEqualTo("rsa-2");
            assertThat(verifier.verify(sign(RSA, "RS256", claims(""))).keyId()).isEqualTo("rsa-1");
        }

        @Test
        void refusesKidThatNoKeyHas() {
            String token = sign(RSA, "RS256", "{\"alg\":\"RS256\",\"kid\":\"other\"}", claims(""));

            assertThat(rejection(verifier(RSA), token).reason()).isEqualTo(Rejection.UNKNOWN_KID);
        }

        @Test
        void refusesTokenSignedByAnotherKeyUnderATrustedKid() {
            String token = sign(RSA_OTHER, "RS256", "{\"alg\":\"RS256\",\"kid\":\"rsa-1\"}", claims(""));

            assertThat(rejection(verifier(RSA, RSA_OTHER), token).reason()).isEqualTo(Rejection.BAD_SIGNATURE);
        }

        @ParameterizedTest
        @CsvSource({"rsa-1,ES256", "ec-256,RS256", "ec-256,ES384", "ec-384,ES256", "ec-521,ES384", "ec-256,PS256",
                "rsa-1,EdDSA", "ec-256,EdDSA", "ed-25519,RS256", "ed-25519,ES256"})
        void refusesAlgorithmThatDoesNotFitTheKey(String kid, String alg) {
            String token = sign(RSA, "RS256", "{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\"}", claims(""));

            assertThat(rejection(verifier(RSA, P256, P384, P521, ED25519), token).reason())
                    .isEqualTo(Rejection.KEY_ALG_MISMATCH);
        }

        @Test
        void refusesEd448KeyAsUnusable() {
            OctetKeyPair ed448 = TestKeys.okp(Curve.Ed448, "ed-448");
            String token = sign(ED25519, "EdDSA", "{\"alg\":\"EdDSA\",\"kid\":\"ed-448\"}", claims(""));

            assertThat(rejection(verifier(ed448), token).reason()).isEqualTo(Rejection.UNUSABLE_KEY);
        }

        @Test
        void refusesEdDsaWhenTheKeyDeclaresAnotherAlgorithmName() {
            OctetKeyPair ed25519Named = new OctetKeyPair.Builder(ED25519).algorithm(new JWSAlgorithm("Ed25519"))
                    .build();

            assertThat(rejection(verifier(ed25519Named), sign(ED25519, "EdDSA", claims(""))).reason())
                    .isEqualTo(Rejection.KEY_ALG_MISMATCH);
        }

        @Test
        void refusesAlgorithmOtherThanTheKeysDeclaredAlg() {
            RSAKey rs256Only = new RSAKey.Builder(RSA).algorithm(com.nimbusds.jose.JWSAlgorithm.RS256).build();

            AuthException e = rejection(verifier(rs256Only), sign(RSA, "PS256", claims("")));

            assertThat(e.reason()).isEqualTo(Rejection.KEY_ALG_MISMATCH);
            assertThat(verifier(rs256Only).verify(sign(RSA, "RS256", claims("")))).isNotNull();
        }

        @Test
        void refusesKeyMeantForEncryption() {
            RSAKey encryption = new RSAKey.Builder(RSA).keyUse(KeyUse.ENCRYPTION).build();

            assertThat(rejection(verifier(encryption), sign(RSA, "RS256", claims(""))).reason())
                    .isEqualTo(Rejection.UNUSABLE_KEY);
        }

        @Test
        void refusesKeyWhoseKeyOpsDoNotAllowVerify() {
            RSAKey encryptOnly = new RSAKey.Builder(RSA).keyOperations(Set.of(KeyOperation.ENCRYPT)).build();

            assertThat(rejection(verifier(encryptOnly), sign(RSA, "RS256", claims(""))).reason())
                    .isEqualTo(Rejection.UNUSABLE_KEY);
        }

        @Test
        void refusesRsaKeysShorterThan2048Bits() throws Exception {
            RSAKey weak = new RSAKeyGenerator(1024, true).keyID("weak").generate();
            String input = b64("{\"alg\":\"RS256\",\"kid\":\"weak\"}") + "." + b64(claims(""));
            java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
            rsa.initSign(weak.toRSAPrivateKey());
            rsa.update(input.getBytes(StandardCharsets.US_ASCII));
            String token = input + "." + b64(rsa.sign());

            assertThat(rejection(verifier(weak), token).reason())
                    .isEqualTo(Rejection.UNUSABLE_KEY);
        }

        @Test
        void answers503WhenTheSourceHasNoKeys() {
            AuthException e = rejection(verifier(), sign(RSA, "RS256", claims("")));

            assertThat(e.status()).isEqualTo(503);
            assertThat(e.reason()).isEqualTo(Rejection.KEYS_UNAVAILABLE);
        }
    }

    @Nested
    class Signature {

        @Test
        void refusesModifiedPayload() {
            String token = sign(RSA, "RS256", claims(""));
            String[] parts = token.split("\\.");
            String forged = parts[0] + "." + b64(claims("\"admin\":true")) + "." + parts[2];

            assertThat(rejection(verifier(RSA), forged).reason()).isEqualTo(Rejection.BAD_SIGNATURE);
        }

        @Test
        void refusesEdDsaTokenWithModifiedPayload() {
            String[] parts = sign(ED25519, "EdDSA", claims("")).split("\\.");
            String forged = parts[0] + "." + b64(claims("\"admin\":true")) + "." + parts[2];

            assertThat(rejection(verifier(ED25519), forged).reason()).isEqualTo(Rejection.BAD_SIGNATURE);
        }

        @ParameterizedTest
        @ValueSource(ints = {32, 63, 65, 128})
        void refusesEdDsaSignatureThatIsNot64Bytes(int length) {
            String[] parts = sign(ED25519, "EdDSA", claims("")).split("\\.");
            byte[] valid = java.util.Base64.getUrlDecoder().decode(parts[2]);
            byte[] resized = java.util.Arrays.copyOf(valid, length);
            String token = parts[0] + "." + parts[1] + "." + b64(resized);

            assertThat(rejection(verifier(ED25519), token).reason()).isEqualTo(Rejection.BAD_SIGNATURE);
        }

        @Test
        void refusesDerEncodedEcdsaSignature() throws Exception {
            String input = b64("{\"alg\":\"ES256\",\"kid\":\"ec-256\"}") + "." + b64(claims(""));
            java.security.Signature der = java.security.Signature.getInstance("SHA256withECDSA");
            der.initSign(P256.toECPrivateKey());
            der.update(input.getBytes(StandardCharsets.US_ASCII));
            String token = input + "." + b64(der.sign());

            assertThat(rejection(verifier(P256), token).reason()).isEqualTo(Rejection.BAD_SIGNATURE);
        }

        @Test
        void refusesEcdsaSignatureWithSEqualToTheCurveOrder() throws Exception {
            byte[] signature = new byte[64];
            signature[31] = 1;
            byte[] order = P256.toECPublicKey().getParams().getOrder().toByteArray();
            System.arraycopy(order, order.length - 32, signature, 32, 32);
            String token = b64("{\"alg\":\"ES256\",\"kid\":\"ec-256\"}") + "." + b64(claims("")) + "."
                    + b64(signature);

            assertThat(rejection(verifier(P256), token).reason()).isEqualTo(Rejection.BAD_SIGNATURE);
        }
    }

    @Nested
    class Claims {

        @Test
        void expiredTokenGetsLiteLlmsMessageAndExpiredKeyType() {
            AuthException e = rejection(verifier(RSA), sign(RSA, "RS256", "{\"exp\":" + (NOW - 1) + "}"));

            assertThat(e.status()).isEqualTo(401);
            assertThat(e.getMessage()).isEqualTo("Token Expired");
            assertThat(e.type()).isEqualTo(io.claimgate.validator.ErrorType.EXPIRED_KEY);
            assertThat(e.type().wireValue()).isEqualTo("expired_key");
            assertThat(e.reason()).isEqualTo(Rejection.TOKEN_EXPIRED);
        }

        @Test
        void tokenExpiresAtTheSecondOfItsExp() {
            AuthException e = rejection(verifier(JwtAuthSettings.defaults(), RSA),
                    sign(RSA, "RS256", "{\"exp\":" + NOW + "}"));

            assertThat(e.reason()).isEqualTo(Rejection.TOKEN_EXPIRED);
        }

        @Test
        void leewayExtendsExpAndNbf() {
            TokenVerifier lenient = verifier(JwtAuthSettings.fromLiteLlm(Map.of("leeway", 30)), RSA);

            assertThat(lenient.verify(sign(RSA, "RS256", "{\"exp\":" + (NOW - 10) + "}")).expiresAt())
                    .isEqualTo(NOW - 10);
            assertThat(lenient.verify(sign(RSA, "RS256", "{\"exp\":" + (NOW + 60) + ",\"nbf\":" + (NOW + 20) + "}")))
                    .isNotNull();
            assertThat(rejection(lenient, sign(RSA, "RS256", "{\"exp\":" + (NOW - 31) + "}")).reason())
                    .isEqualTo(Rejection.TOKEN_EXPIRED);
        }

        @Test
        void refusesTokenNotYetValid() {
            String token = sign(RSA, "RS256", claims("\"nbf\":" + (NOW + 5)));

            AuthException e = rejection(verifier(RSA), token);

            assertThat(e.reason()).isEqualTo(Rejection.NOT_YET_VALID);
            assertThat(e.getMessage()).startsWith("Validation fails: ");
        }

        @Test
        void refusesTokenWithoutExp() {
            String token = sign(RSA, "RS256", "{\"sub\":\"alice\",\"iss\":\"https://idp.example/realms/r\"}");

            assertThat(rejection(verifier(RSA), token).reason()).isEqualTo(Rejection.MISSING_EXP);
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"1900000000\"", "true", "[1900000000]", "{}"})
        void refusesExpThatIsNotANumber(String exp) {
            String token = sign(RSA, "RS256", "{\"exp\":" + exp + "}");

            assertThat(rejection(verifier(JwtAuthSettings.defaults(), RSA), token).reason())
                    .isEqualTo(Rejection.MALFORMED_TOKEN);
        }

        @Test
        void acceptsAudienceStringOrAnyOverlappingListEntry() {
            TokenVerifier verifier = verifier(
                    JwtAuthSettings.defaults().environment(Map.of("JWT_AUDIENCE", "litellm,proxy")),
                    RSA);

            assertThat(verifier.verify(sign(RSA, "RS256", claims("\"aud\":\"proxy\"")))).isNotNull();
            assertThat(verifier.verify(sign(RSA, "RS256", claims("\"aud\":[\"account\",\"litellm\"]")))).isNotNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"aud\":\"account\"", "\"aud\":[\"account\"]", "\"aud\":[]", "\"aud\":1",
                "\"other\":1"})
        void refusesTokenWithoutAnAcceptedAudience(String aud) {
            TokenVerifier verifier = verifier(
                    JwtAuthSettings.defaults().environment(Map.of("JWT_AUDIENCE", "litellm")), RSA);

            assertThat(rejection(verifier, sign(RSA, "RS256", claims(aud))).reason())
                    .isEqualTo(Rejection.AUDIENCE_MISMATCH);
        }

        @Test
        void ignoresAudienceWhenNoneIsConfigured() {
            assertThat(verifier(RSA).verify(sign(RSA, "RS256", claims("\"aud\":\"anything\"")))).isNotNull();
        }

        @Test
        void refusesOtherOrMissingIssuer() {
            String other = sign(RSA, "RS256", "{\"iss\":\"https://evil.example\",\"exp\":" + (NOW + 60) + "}");
            String none = sign(RSA, "RS256", "{\"exp\":" + (NOW + 60) + "}");

            assertThat(rejection(verifier(RSA), other).reason()).isEqualTo(Rejection.ISSUER_MISMATCH);
            assertThat(rejection(verifier(RSA), none).reason()).isEqualTo(Rejection.ISSUER_MISMATCH);
        }

        @Test
        void issuerMatchIsExact() {
            String trailingSlash = sign(RSA, "RS256",
                    "{\"iss\":\"https://idp.example/realms/r/\",\"exp\":" + (NOW + 60) + "}");

            assertThat(rejection(verifier(RSA), trailingSlash).reason()).isEqualTo(Rejection.ISSUER_MISMATCH);
        }

        @Test
        void acceptsAbsentTypAndBearerTyp() {
            assertThat(verifier(RSA).verify(sign(RSA, "RS256", claims("")))).isNotNull();
            assertThat(verifier(RSA).verify(sign(RSA, "RS256", claims("\"typ\":\"Bearer\"")))).isNotNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"ID\"", "\"Refresh\"", "\"bearer\"", "1", "[\"Bearer\"]"})
        void refusesTypOutsideAcceptedTokenTypes(String typ) {
            AuthException e = rejection(verifier(RSA), sign(RSA, "RS256", claims("\"typ\":" + typ)));

            assertThat(e.reason()).isEqualTo(Rejection.WRONG_TOKEN_TYPE);
        }

        @Test
        void acceptsConfiguredTokenTypes() {
            TokenVerifier verifier = verifier(JwtAuthSettings.fromLiteLlm(
                    Map.of("accepted_token_types", List.of("Bearer", "at+jwt"))), RSA);

            assertThat(verifier.verify(sign(RSA, "RS256", claims("\"typ\":\"at+jwt\"")))).isNotNull();
        }
    }

    @Nested
    class Messages {

        @Test
        void messagesNeverEchoTheToken() {
            String kid = "kid-with-secret-looking-text";
            String token = sign(RSA, "RS256", "{\"alg\":\"RS256\",\"kid\":\"" + kid + "\"}", claims(""));
            String[] parts = token.split("\\.");

            AuthException e = rejection(verifier(RSA, RSA_OTHER), token);

            assertThat(e.getMessage()).startsWith("Validation fails: ").doesNotContain(kid)
                    .doesNotContain(parts[0]).doesNotContain(parts[2]);
        }

        @Test
        void warnsOnceWhenNeitherAudienceNorIssuerIsSet() {
            ch.qos.logback.classic.Logger logger =
                    (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(TokenVerifier.class);
            ListAppender<ILoggingEvent> appender = new ListAppender<>();
            appender.start();
            logger.addAppender(appender);
            try {
                TokenVerifier open = verifier(JwtAuthSettings.defaults(), RSA);
                open.verify(sign(RSA, "RS256", claims("")));
                verifier(
                    JwtAuthSettings.defaults().environment(Map.of("JWT_AUDIENCE", "litellm")), RSA);

                assertThat(appender.list).filteredOn(event -> event.getLevel() == Level.WARN).hasSize(1);
            } finally {
                logger.detachAppender(appender);
            }
        }

        @Test
        void everyRefusalIsA401WithAStableReason() {
            Map<String, String> tokens = Map.of(
                    Rejection.UNSUPPORTED_ALG, sign(RSA, "RS256", "{\"alg\":\"HS256\"}", claims("")),
                    Rejection.FORBIDDEN_HEADER, sign(RSA, "RS256", "{\"alg\":\"RS256\",\"crit\":[\"exp\"]}", claims("")),
                    Rejection.INVALID_KID, sign(RSA, "RS256", "{\"alg\":\"RS256\",\"kid\":7}", claims("")));

            tokens.forEach((reason, token) -> {
                AuthException e = rejection(verifier(RSA), token);
                assertThat(e.status()).isEqualTo(401);
                assertThat(e.reason()).isEqualTo(reason);
            });
        }
    }
}
