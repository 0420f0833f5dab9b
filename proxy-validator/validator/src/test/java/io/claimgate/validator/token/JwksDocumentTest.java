package io.claimgate.validator.token;

import com.nimbusds.jose.jwk.JWK;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

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
