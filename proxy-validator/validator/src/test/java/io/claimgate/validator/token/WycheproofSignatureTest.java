package io.claimgate.validator.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64URL;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.InputStream;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wycheproof's raw signature vectors through {@link VerificationKey}, the exact object {@link TokenVerifier} uses for
 * its one signature check (the messages are arbitrary bytes, so they cannot be wrapped into compact tokens). Groups
 * without a JWK form of their key are skipped and counted.
 */
class WycheproofSignatureTest {

    /**
     * Verdicts of the JDK's own provider that differ from Wycheproof's, allowed (not required) here. tc115: SunEC
     * (JDK 17.0.15) refuses a valid signature whose nonce point has an x-coordinate above the curve order; a false
     * refusal that an honest signer hits with probability about 2^-128, not an acceptance of a forgery. Nimbus
     * delegates to the provider, and the same signature in P1363 form fails in plain JCA too.
     */
    private static final java.util.Set<String> PROVIDER_DEVIATIONS =
            java.util.Set.of("tc115 k*G has a large x-coordinate (valid)");

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({
            "ecdsa_secp256r1_sha256_p1363_test.json, ES256, publicKeyJwk",
            "rsa_signature_2048_sha256_test.json, RS256, keyJwk",
            "rsa_pss_2048_sha256_mgf1_32_test.json, PS256, publicKeyJwk",
            "ed25519_test.json, EdDSA, publicKeyJwk"})
    void everyVectorGetsItsVerdictFromTheVerificationKey(String file, String alg, String jwkField) throws Exception {
        JsonNode vectors;
        try (InputStream in = getClass().getResourceAsStream("/wycheproof/" + file)) {
            vectors = new ObjectMapper().readTree(in);
        }
        JWSAlgorithm algorithm = JWSAlgorithm.parse(alg);
        JWSHeader header = new JWSHeader(algorithm);
        java.util.List<String> mismatches = new java.util.ArrayList<>();
        int checked = 0;
        int total = 0;
        for (JsonNode group : vectors.get("testGroups")) {
            total += group.get("tests").size();
            if (!group.has(jwkField)) {
                continue;
            }
            VerificationKey key = VerificationKey.prepare(JWK.parse(group.get(jwkField).toString()), null);
            assertThat(key.fits(algorithm)).as("group key fits %s", alg).isTrue();
            for (JsonNode vector : group.get("tests")) {
                byte[] message = HexFormat.of().parseHex(vector.get("msg").asText());
                byte[] signature = HexFormat.of().parseHex(vector.get("sig").asText());
                boolean verified = key.verify(header, message, Base64URL.encode(signature), signature);
                String result = vector.get("result").asText();
                if (!"acceptable".equals(result) && verified != "valid".equals(result)) {
                    mismatches.add("tc" + vector.get("tcId").asInt() + " " + vector.get("comment").asText()
                            + " (" + result + ")");
                }
                checked++;
            }
        }
        assertThat(mismatches).isSubsetOf(PROVIDER_DEVIATIONS);
        assertThat(total).isEqualTo(vectors.get("numberOfTests").asInt());
        assertThat(checked).as("vectors whose group has a JWK").isGreaterThan(total / 2);
    }
}
