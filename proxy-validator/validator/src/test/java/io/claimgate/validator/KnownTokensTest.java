package io.claimgate.validator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWK;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.validator.KnownTokens.KnownToken;
import io.claimgate.validator.claims.ClaimReader;
import io.claimgate.validator.token.KeySet;
import io.claimgate.validator.token.KeySource;
import io.claimgate.validator.token.TokenVerifier;
import io.claimgate.validator.token.VerifiedToken;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The verified-token cache: it remembers, and forgets what the key source or the clock no longer vouches for. */
class KnownTokensTest {

    private static final TokenMint OLD_KEY = new TokenMint("kc-old");
    private static final TokenMint NEW_KEY = new TokenMint("kc-new");

    private final ProxyAuthenticatorTest.MovableClock clock = new ProxyAuthenticatorTest.MovableClock(Instant.now());
    private final RotatingKeys keys = new RotatingKeys(List.of(OLD_KEY.publicKey(), NEW_KEY.publicKey()));
    private final JwtAuthSettings settings = JwtAuthSettings.fromLiteLlm(Map.of("team_id_jwt_field", "team_id"));
    private final TokenVerifier verifier = new TokenVerifier(settings.token(), keys, null, clock);
    private final AtomicInteger verifications = new AtomicInteger();
    private final ClaimReader reader = new ClaimReader(settings.claims());
    private final TrustedIssuer issuer = new TrustedIssuer(verifier, reader, null, keys);
    private final KnownTokens tokens = new KnownTokens(token -> {
        verifications.incrementAndGet();
        VerifiedToken verified = verifier.verify(token);
        return new KnownToken(verified, reader.read(verified.claims()), null, issuer);
    }, 0, 100, clock);

    @Test
    void verifiesATokenOnceWhileItsKeyStaysInTheKeySet() {
        String token = OLD_KEY.token(clock.instant(), Map.of("team_id", "research"));

        KnownToken first = tokens.get(token);
        KnownToken second = tokens.get(token);

        assertThat(second).isSameAs(first);
        assertThat(verifications).hasValue(1);
        assertThat(first.verified().keyId()).isEqualTo("kc-old");
    }

    @Test
    void refusesARememberedTokenOnceItsKeyHasLeftTheKeySet() {
        // given a token verified while its key was published
        String token = OLD_KEY.token(clock.instant(), Map.of("team_id", "research"));
        tokens.get(token);

        // when a refresh drops that key (rotated out, or revoked)
        keys.publish(List.of(NEW_KEY.publicKey()));

        // then the remembered token is verified again, and refused
        assertThatThrownBy(() -> tokens.get(token))
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.status()).isEqualTo(401));
        assertThat(verifications).hasValue(2);
    }

    @Test
    void keepsTokensOfKeysThatStayed() {
        String token = NEW_KEY.token(clock.instant(), Map.of("team_id", "research"));
        KnownToken first = tokens.get(token);

        keys.publish(List.of(NEW_KEY.publicKey()));

        assertThat(tokens.get(token)).isSameAs(first);
        assertThat(verifications).hasValue(1);
    }

    @Test
    void forgetsATokenAtItsExpiry() {
        String token = OLD_KEY.token(clock.instant(), Map.of("team_id", "research"));
        tokens.get(token);

        clock.advance(java.time.Duration.ofHours(2));

        assertThatThrownBy(() -> tokens.get(token)).isInstanceOfSatisfying(AuthException.class,
                e -> assertThat(e.getMessage()).isEqualTo("Token Expired"));
    }

    /** A key source whose key set the test replaces, as a JWKS refresh would. */
    private static final class RotatingKeys implements KeySource {
        private volatile KeySet keys;

        RotatingKeys(List<JWK> keys) {
            publish(keys);
        }

        void publish(List<JWK> next) {
            keys = KeySet.of(next);
        }

        @Override
        public List<JWK> keysFor(String kid) {
            return keys.candidates(kid);
        }

        @Override
        public KeySet currentKeys() {
            return keys;
        }
    }
}
