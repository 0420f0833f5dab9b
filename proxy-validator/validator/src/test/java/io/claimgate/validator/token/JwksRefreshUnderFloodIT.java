package io.claimgate.validator.token;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.model.KeySourceSettings;
import io.claimgate.validator.AuthException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.claimgate.validator.token.TestKeys.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The background refresh of {@link JwksKeySource} keeps going while tokens with made-up {@code kid}s hold the
 * request-driven rate limit: such a flood must not keep a key rotation out, nor let the keys run past their stale
 * window into 503s for everyone.
 */
class JwksRefreshUnderFloodIT {

    private static final RSAKey K1 = TestKeys.rsa("k1");
    private static final RSAKey K2 = TestKeys.rsa("k2");

    private JwksServer server;
    private JwksKeySource source;
    private TokenVerifier verifier;

    @BeforeEach
    void start() throws Exception {
        server = JwksServer.start();
        server.json("/certs", new JWKSet(List.of(K1)).toPublicJWKSet().toString());
        // The rate-limit window (30 s) is far longer than the wait below (15 s): only the refresh can bring k2.
        JwtAuthSettings settings = JwtAuthSettings.defaults().with(new KeySourceSettings(List.of(server.url("/certs")),
                Duration.ofSeconds(1), Duration.ofHours(1)));
        source = JwksKeySource.builder(settings.keySource()).attempts(1).refetchWindow(Duration.ofSeconds(30)).build();
        verifier = new TokenVerifier(settings.token(), source);
    }

    @AfterEach
    void stop() {
        source.close();
        server.close();
    }

    private static String token(RSAKey key) {
        long now = System.currentTimeMillis() / 1000;
        return sign(key, "RS256", "{\"sub\":\"alice\",\"exp\":" + (now + 300) + "}");
    }

    private boolean verifies(String token) {
        try {
            verifier.verify(token);
            return true;
        } catch (AuthException e) {
            return false;
        }
    }

    @Test
    void keyRotationArrivesByBackgroundRefreshWhileMadeUpKidsHoldTheRateLimit() throws Exception {
        assertThat(verifier.verify(token(K1)).keyId()).isEqualTo("k1");
        for (int i = 0; i < 20; i++) {
            String flood = token(new RSAKey.Builder(K1).keyID("made-up-" + i).build());
            assertThat(catchThrowableOfType(AuthException.class, () -> verifier.verify(flood)).reason())
                    .isEqualTo(Rejection.UNKNOWN_KID);
        }
        assertThat(source.refusedRefetchCount()).as("the flood spent the request permits").isGreaterThan(0);
        long refusedBeforeRotation = source.refusedRefetchCount();

        server.json("/certs", new JWKSet(List.of(K2)).toPublicJWKSet().toString());

        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!verifies(token(K2))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the background refresh never brought k2");
            }
            Thread.sleep(50);
        }
        assertThat(source.refusedRefetchCount()).as("k2 was refused by the limit until the refresh came")
                .isGreaterThan(refusedBeforeRotation);
        assertThat(catchThrowableOfType(AuthException.class, () -> verifier.verify(token(K1))).reason())
                .as("the rotated-out key is gone").isEqualTo(Rejection.UNKNOWN_KID);
    }
}
