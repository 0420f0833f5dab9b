package io.claimgate.validator.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jose.crypto.impl.RSASSA;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.model.SettingsException;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.token.StaticKeySource;
import io.claimgate.validator.token.TokenVerifier;
import io.claimgate.validator.crypto.SignatureBackend.Kind;
import io.claimgate.validator.crypto.SignatureProviders.Preference;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Security;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SignatureProvidersTest {

    @Nested
    class Selection {

        @Test
        void choosesCorrettoWhereItsNativeLibraryLoads() {
            // this project builds and runs on linux-x86_64, the platform whose native build we ship
            SignatureBackend backend = SignatureProviders.select(Preference.AUTO);

            assertThat(backend.kind()).isEqualTo(Kind.CORRETTO);
            assertThat(backend.provider()).get().extracting(Provider::getName)
                    .isEqualTo("AmazonCorrettoCryptoProvider");
            assertThat(backend.reason()).contains("native library loaded");
        }

        @Test
        void usesJdkWhenForcedBySetting() {
            SignatureBackend backend = SignatureProviders.select(Preference.JDK);

            assertThat(backend.kind()).isEqualTo(Kind.JDK);
            assertThat(backend.provider()).isEmpty();
            assertThat(backend.reason()).contains(SignatureProviders.PROPERTY + "=jdk");
        }

        @Test
        void fallsBackToJdkWhenNativeLibraryDoesNotLoad() {
            SignatureBackend backend = SignatureProviders.select(Preference.AUTO, () -> {
                throw new IllegalStateException("native library did not load: wrong ELF class");
            });

            assertThat(backend.kind()).isEqualTo(Kind.JDK);
            assertThat(backend.provider()).isEmpty();
            assertThat(backend.reason()).contains("unavailable").contains("wrong ELF class");
        }

        @Test
        void fallsBackToJdkWhenNativeClassesCannotLink() {
            SignatureBackend backend = SignatureProviders.select(Preference.AUTO, () -> {
                throw new UnsatisfiedLinkError("no amazonCorrettoCryptoProvider in java.library.path");
            });

            assertThat(backend.kind()).isEqualTo(Kind.JDK);
            assertThat(backend.reason()).contains("java.library.path");
        }

        @Test
        void neverInstallsTheProviderJvmWide() {
            List<Provider> before = List.of(Security.getProviders());

            SignatureProviders.select(Preference.AUTO);
            SignatureProviders.configured();

            assertThat(List.of(Security.getProviders())).containsExactlyElementsOf(before);
            assertThat(Security.getProvider("AmazonCorrettoCryptoProvider")).isNull();
        }

        @Test
        void configuredBackendIsChosenOnceForTheProcess() {
            assertThat(SignatureProviders.configured()).isSameAs(SignatureProviders.configured());
        }
    }

    @Nested
    class PreferenceSetting {

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {"auto", " AUTO ", "   "})
        void defaultsToAuto(String value) {
            assertThat(Preference.parse(value)).isEqualTo(Preference.AUTO);
        }

        @ParameterizedTest
        @ValueSource(strings = {"jdk", "JDK", " jdk"})
        void readsJdk(String value) {
            assertThat(Preference.parse(value)).isEqualTo(Preference.JDK);
        }

        @ParameterizedTest
        @ValueSource(strings = {"accp", "native", "sun", "jdk17"})
        void rejectsUnknownValueNamingTheProperty(String value) {
            assertThatThrownBy(() -> Preference.parse(value))
                    .isInstanceOf(SettingsException.class)
                    .hasMessageContaining(SignatureProviders.PROPERTY)
                    .hasMessageContaining(value);
        }
    }

    /** Signatures made by the JDK must verify through whichever backend was chosen, and forgeries must not. */
    @Nested
    class Verification {

        private static KeyPair rsa;
        private static KeyPair ec;

        @BeforeAll
        static void generateKeys() throws Exception {
            KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
            rsaGenerator.initialize(2048);
            rsa = rsaGenerator.generateKeyPair();
            KeyPairGenerator ecGenerator = KeyPairGenerator.getInstance("EC");
            ecGenerator.initialize(Curve.P_256.toECParameterSpec());
            ec = ecGenerator.generateKeyPair();
        }

        @ParameterizedTest
        @EnumSource(Preference.class)
        void verifiesJdkSignedRs256Token(Preference preference) throws Exception {
            assertVerifies(JWSAlgorithm.RS256, new RSASSASigner((RSAPrivateKey) rsa.getPrivate()),
                    new RSASSAVerifier((RSAPublicKey) rsa.getPublic()), preference);
        }

        @ParameterizedTest
        @EnumSource(Preference.class)
        void verifiesJdkSignedPs256Token(Preference preference) throws Exception {
            assertVerifies(JWSAlgorithm.PS256, new RSASSASigner((RSAPrivateKey) rsa.getPrivate()),
                    new RSASSAVerifier((RSAPublicKey) rsa.getPublic()), preference);
        }

        @ParameterizedTest
        @EnumSource(Preference.class)
        void verifiesJdkSignedEs256Token(Preference preference) throws Exception {
            assertVerifies(JWSAlgorithm.ES256, new ECDSASigner((ECPrivateKey) ec.getPrivate()),
                    new ECDSAVerifier((ECPublicKey) ec.getPublic()), preference);
        }

        @ParameterizedTest
        @EnumSource(Preference.class)
        void tokenVerifierAcceptsJdkSignedTokenThroughChosenBackendAndRejectsForgery(Preference preference)
                throws Exception {
            // given an RS256 access token signed by the JDK, and a TokenVerifier using the chosen backend
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://idp.example/realms/r").audience("gw")
                    .subject("alice").expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(), claims);
            jwt.sign(new RSASSASigner((RSAPrivateKey) rsa.getPrivate()));
            String token = jwt.serialize();
            int signatureStart = token.lastIndexOf('.') + 1;
            char first = token.charAt(signatureStart);
            String forged = token.substring(0, signatureStart) + (first == 'A' ? 'B' : 'A')
                    + token.substring(signatureStart + 1);
            TokenVerifier verifier = new TokenVerifier(
                    JwtAuthSettings.defaults().environment(Map.of("JWT_ISSUER", "https://idp.example/realms/r",
                            "JWT_AUDIENCE", "gw")).token(),
                    StaticKeySource.of(new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).keyID("k1").build()),
                    SignatureProviders.select(preference).provider().orElse(null));
            // when verified, then the genuine token passes and the forgery is a 401
            assertThat(verifier.verify(token).claims()).containsEntry("sub", "alice");
            assertThatThrownBy(() -> verifier.verify(forged))
                    .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.status()).isEqualTo(401));
        }

        @ParameterizedTest
        @ValueSource(strings = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"})
        void correttoServesEveryRsaAlgorithmNimbusAsksFor(String algorithm) throws Exception {
            Provider corretto = SignatureProviders.select(Preference.AUTO).provider().orElseThrow();

            Provider used = RSASSA.getSignerAndVerifier(JWSAlgorithm.parse(algorithm), corretto).getProvider();

            assertThat(used).isSameAs(corretto);
        }

        @ParameterizedTest
        @ValueSource(strings = {"ES256", "ES384", "ES512"})
        void correttoServesEveryEcdsaAlgorithmNimbusAsksFor(String algorithm) throws Exception {
            Provider corretto = SignatureProviders.select(Preference.AUTO).provider().orElseThrow();

            Provider used = ECDSA.getSignerAndVerifier(JWSAlgorithm.parse(algorithm), corretto).getProvider();

            assertThat(used).isSameAs(corretto);
        }

        private void assertVerifies(JWSAlgorithm algorithm, JWSSigner jdkSigner, JWSVerifier verifier,
                Preference preference) throws Exception {
            // given a token signed by the JDK's own providers
            JWSObject token = new JWSObject(new JWSHeader(algorithm), new Payload("{\"sub\":\"alice\"}"));
            token.sign(jdkSigner);
            String[] parts = token.serialize().split("\\.");
            String forged = parts[0] + "." + new Payload("{\"sub\":\"mallory\"}").toBase64URL() + "." + parts[2];
            // when it is verified through the chosen backend
            SignatureBackend backend = SignatureProviders.select(preference);
            verifier.getJCAContext().setProvider(backend.provider().orElse(null));
            // then the genuine token verifies and the forged one does not
            assertThat(JWSObject.parse(token.serialize()).verify(verifier)).isTrue();
            assertThat(JWSObject.parse(forged).verify(verifier)).isFalse();
        }
    }
}
