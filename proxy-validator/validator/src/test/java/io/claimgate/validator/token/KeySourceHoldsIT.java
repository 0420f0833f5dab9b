package io.claimgate.validator.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.claimgate.model.KeySourceSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link KeySource#holds}: what the verified-token cache asks on every hit. Against a real JWKS server on 127.0.0.1
 * for {@link JwksKeySource}, and in memory for {@link StaticKeySource}.
 */
class KeySourceHoldsIT {

    private static final RSAKey K1 = TestKeys.rsa("k1");
    private static final RSAKey K2 = TestKeys.rsa("k2");

    private JwksServer server;
    private JwksKeySource source;

    @BeforeEach
    void startServer() throws Exception {
        server = JwksServer.start();
    }

    @AfterEach
    void stop() {
        if (source != null) {
            source.close();
        }
        server.close();
    }

    private static String jwks(RSAKey... keys) {
        return new JWKSet(List.of(keys)).toPublicJWKSet().toString();
    }

    @Test
    void aJwksSourceStopsHoldingAKidOnceARefreshDropsIt() throws Exception {
        // given a source that has fetched k1 and k2
        server.json("/certs", jwks(K1, K2));
        KeySourceSettings settings = new KeySourceSettings(List.of(server.url("/certs")), Duration.ofMillis(500),
                Duration.ofMillis(100));
        source = JwksKeySource.builder(settings).attempts(1).connectTimeout(Duration.ofMillis(500))
                .readTimeout(Duration.ofSeconds(2)).build();
        assertThat(source.keysFor("k1")).isNotEmpty();
        assertThat(source.holds("k1")).isTrue();

        // when the identity provider removes k1 and a refresh picks that up
        server.json("/certs", jwks(K2));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (source.holds("k1") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        // then k1 is no longer held, k2 still is, and an unknown kid never was
        assertThat(source.holds("k1")).isFalse();
        assertThat(source.holds("k2")).isTrue();
        assertThat(source.holds("k3")).isFalse();
    }

    @Test
    void aStaticSourceHoldsExactlyTheKidsItServes() {
        StaticKeySource two = StaticKeySource.of(List.of(K1, K2));
        StaticKeySource one = StaticKeySource.of(K1);

        assertThat(two.holds("k1")).isTrue();
        assertThat(two.holds("k3")).isFalse();
        assertThat(two.holds(null)).as("several keys serve no token without kid").isFalse();
        assertThat(one.holds(null)).as("a single key serves a token without kid").isTrue();
        assertThat(StaticKeySource.of(List.of()).holds("k1")).isFalse();
    }
}
