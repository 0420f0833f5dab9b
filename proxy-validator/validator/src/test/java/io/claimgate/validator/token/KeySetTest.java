package io.claimgate.validator.token;

import com.nimbusds.jose.jwk.RSAKey;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.claimgate.validator.token.TestKeys.P256;
import static io.claimgate.validator.token.TestKeys.RSA;
import static io.claimgate.validator.token.TestKeys.RSA_OTHER;
import static org.assertj.core.api.Assertions.assertThat;

/** LiteLLM's {@code parse_keys} rule. */
class KeySetTest {

    @Test
    void singleKeyServesTokenWithoutKidOrWithItsKid() {
        KeySet one = KeySet.of(List.of(RSA));

        assertThat(one.candidates(null)).containsExactly(RSA);
        assertThat(one.candidates("rsa-1")).containsExactly(RSA);
        assertThat(one.candidates("other")).isEmpty();
    }

    @Test
    void singleKeyWithoutKidServesOnlyTokensWithoutKid() throws Exception {
        RSAKey anonymous = new RSAKey.Builder(RSA.toRSAPublicKey()).build();
        KeySet one = KeySet.of(List.of(anonymous));

        assertThat(one.candidates(null)).containsExactly(anonymous);
        assertThat(one.candidates("rsa-1")).isEmpty();
    }

    @Test
    void severalKeysServeOnlyAMatchingKid() {
        KeySet several = KeySet.of(List.of(RSA, RSA_OTHER, P256));

        assertThat(several.candidates("rsa-2")).containsExactly(RSA_OTHER);
        assertThat(several.candidates(null)).isEmpty();
        assertThat(several.candidates("nope")).isEmpty();
    }

    @Test
    void keysSharingAKidAreAllCandidates() {
        RSAKey sameKid = new RSAKey.Builder(RSA_OTHER).keyID("rsa-1").build();

        assertThat(KeySet.of(List.of(RSA, sameKid)).candidates("rsa-1")).containsExactly(RSA, sameKid);
    }
}
