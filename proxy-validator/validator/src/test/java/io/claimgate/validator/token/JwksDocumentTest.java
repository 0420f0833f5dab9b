package io.claimgate.validator.token;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import io.claimgate.model.JwtAuthSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;

import static io.claimgate.validator.token.TestKeys.ED25519;
import static io.claimgate.validator.token.TestKeys.P256;
import static io.claimgate.validator.token.TestKeys.RSA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JwksDocumentTest {

    private static JwksDocument parse(String json) throws IOException {
        return JwksDocument.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static final String RSA_JSON = RSA.toPublicJWK().toJSONString();
    private static final String EC_JSON = P256.toPublicJWK().toJSONString();

    @Test
    void readsJwkSet() throws IOException {
        JwksDocument document = parse("{\"keys\":[" + RSA_JSON + "," + EC_JSON + "]}");

        assertThat(document.keys()).extracting(JWK::getKeyID).containsExactly("rsa-1", "ec-256");
    }

    @Test
    void readsBareListOfJwks() throws IOException {
        assertThat(parse("[" + EC_JSON + "]").keys()).extracting(JWK::getKeyID).containsExactly("ec-256");
    }

    @Test
    void readsSingleJwk() throws IOException {
        assertThat(parse(RSA_JSON).keys()).extracting(JWK::getKeyID).containsExactly("rsa-1");
    }

    @Test
    void readsDiscoveryDocument() throws IOException {
        JwksDocument document = parse("{\"issuer\":\"https://idp\",\"jwks_uri\":\"https://idp/certs\"}");

        assertThat(document.jwksUri()).isEqualTo(URI.create("https://idp/certs"));
        assertThat(document.keys()).isEmpty();
    }

    @Test
    void dropsPrivatePartsOfPublishedKeys() throws IOException {
        JwksDocument document = parse("{\"keys\":[" + RSA.toJSONString() + "]}");

        assertThat(document.keys().get(0).isPrivate()).isFalse();
    }

    @Test
    void skipsSymmetricAndUnreadableKeysButKeepsTheRest() throws IOException {
        JwksDocument document = parse("{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2VjcmV0\",\"kid\":\"hmac\"},"
                + "{\"kty\":\"RSA\",\"kid\":\"broken\"},\"text\"," + RSA_JSON + "]}");

        assertThat(document.keys()).extracting(JWK::getKeyID).containsExactly("rsa-1");
        assertThat(document.skipped()).isEqualTo(3);
    }

    @Test
    void readsEd25519KeyWithoutItsPrivatePart() throws IOException {
        JwksDocument document = parse("{\"keys\":[" + ED25519.toJSONString() + "," + RSA_JSON + "]}");

        assertThat(document.keys()).extracting(JWK::getKeyID).containsExactly("ed-25519", "rsa-1");
        assertThat(document.keys().get(0)).isInstanceOf(OctetKeyPair.class);
        assertThat(document.keys().get(0).isPrivate()).isFalse();
    }

    @Test
    void skipsEd448AndKeyAgreementOkpKeys() throws IOException {
        String ed448 = TestKeys.okp(Curve.Ed448, "ed-448").toPublicJWK().toJSONString();
        String x25519 = "{\"kty\":\"OKP\",\"crv\":\"X25519\",\"kid\":\"x\","
                + "\"x\":\"hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo\"}";

        JwksDocument document = parse("{\"keys\":[" + ed448 + "," + x25519 + "," + EC_JSON + "]}");

        assertThat(document.keys()).extracting(JWK::getKeyID).containsExactly("ec-256");
        assertThat(document.skipped()).isEqualTo(2);
    }

    @Test
    void readsEd25519CertificateFromPemMapAndItsTokensVerify(@TempDir Path dir) throws Exception {
        Path store = dir.resolve("ed.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "ed", "-keyalg", "Ed25519", "-dname", "CN=test", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        keytool.getInputStream().readAllBytes();
        assertThat(keytool.waitFor()).isZero();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, "changeit".toCharArray());
        }
        X509Certificate certificate = (X509Certificate) keyStore.getCertificate("ed");
        String pem = "-----BEGIN CERTIFICATE-----\\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
                        .replace("\n", "\\n")
                + "\\n-----END CERTIFICATE-----\\n";

        JwksDocument document = parse("{\"ed-cert\":\"" + pem + "\"}");

        assertThat(document.keys()).singleElement().isInstanceOf(OctetKeyPair.class)
                .extracting(JWK::getKeyID).isEqualTo("ed-cert");
        String input = TestKeys.b64("{\"alg\":\"EdDSA\",\"kid\":\"ed-cert\"}") + "."
                + TestKeys.b64("{\"sub\":\"alice\"}");
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign((PrivateKey) keyStore.getKey("ed", "changeit".toCharArray()));
        signer.update(input.getBytes(StandardCharsets.US_ASCII));
        String token = input + "." + TestKeys.b64(signer.sign());
        TokenVerifier verifier = new TokenVerifier(JwtAuthSettings.defaults().token(),
                StaticKeySource.of(document.keys()));
        assertThat(verifier.verifySignature(token).keyId()).isEqualTo("ed-cert");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "null", "42", "\"keys\"", "{\"foo\":1}", "{\"kid\":\"not a certificate\"}", "{}",
            "{\"keys\":[]} trailing"})
    void refusesOtherShapes(String body) {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(IOException.class);
    }

    @Test
    void refusesDeeplyNestedDocumentWithoutStackOverflow() {
        String nested = "[".repeat(100_000) + "]".repeat(100_000);

        assertThatThrownBy(() -> parse(nested)).isInstanceOf(IOException.class);
    }
}
