package io.claimgate.validator.token;

import static io.claimgate.validator.token.TestKeys.RSA;
import static io.claimgate.validator.token.TestKeys.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.validator.Blocking;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A key source that would have to wait, on a thread that must not: {@link TokenVerifier} lets the
 * {@link Blocking.WouldBlockException} through instead of refusing the token as unverifiable, so the caller asks again
 * from a worker and a good token is never answered 401 for where it was checked.
 */
class TokenVerifierWithoutWaitingTest {

    /** Serves {@link TestKeys#RSA}, but only where waiting is allowed: as a JWKS source whose cache has expired. */
    private static final KeySource FETCHING = new KeySource() {
        @Override
        public List<JWK> keysFor(String kid) {
            Blocking.check("a key fetch");
            return List.of(RSA);
        }

        @Override
        public KeySet currentKeys() {
            return KeySet.of(List.of(RSA));
        }
    };

    private final TokenVerifier verifier = new TokenVerifier(JwtAuthSettings.defaults()
            .environment(Map.of("JWT_ISSUER", "https://idp.example/realms/r")).token(), FETCHING, null,
            TokenVerifierTest.CLOCK);
    private final String token = sign(RSA, "RS256", TokenVerifierTest.claims(""));

    @Test
    void aKeyFetchOnAThreadThatMustNotWaitIsHandedBackNotRefused() {
        assertThatThrownBy(() -> Blocking.forbidden(() -> verifier.verify(token)))
                .isInstanceOf(Blocking.WouldBlockException.class);
        assertThatThrownBy(() -> Blocking.forbidden(() -> verifier.verifySignature(token)))
                .isInstanceOf(Blocking.WouldBlockException.class);
    }

    @Test
    void theSameTokenVerifiesWhereWaitingIsAllowed() {
        assertThat(verifier.verify(token).claims()).containsEntry("sub", "alice");
    }
}
