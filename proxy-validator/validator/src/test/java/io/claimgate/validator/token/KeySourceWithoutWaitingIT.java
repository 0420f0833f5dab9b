package io.claimgate.validator.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import io.claimgate.model.KeySourceSettings;
import io.claimgate.validator.Blocking;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link JwksKeySource} on a thread that must not wait ({@link Blocking}): keys held fresh are served from memory; a
 * key that needs a fetch throws before anything is fetched, so that the caller can ask again from a worker. Against a
 * real JWKS server on 127.0.0.1.
 */
class KeySourceWithoutWaitingIT {

    private static final RSAKey K1 = TestKeys.rsa("k1");

    private JwksServer server;
    private JwksKeySource source;

    @BeforeEach
    void start() throws Exception {
        server = JwksServer.start();
        server.json("/certs", new JWKSet(List.of(K1)).toPublicJWKSet().toString());
        KeySourceSettings settings = new KeySourceSettings(List.of(server.url("/certs")), Duration.ofMinutes(10),
                Duration.ofMinutes(10));
        source = JwksKeySource.builder(settings).attempts(1).connectTimeout(Duration.ofMillis(500))
                .readTimeout(Duration.ofSeconds(2)).build();
    }

    @AfterEach
    void stop() {
        source.close();
        server.close();
    }

    @Test
    void nothingFetchedYetMeansTheCallerMustAskFromAThreadThatMayWait() {
        assertThatThrownBy(() -> Blocking.forbidden(() -> source.keysFor("k1")))
                .isInstanceOf(Blocking.WouldBlockException.class);

        assertThat(source.fetchCount()).as("nothing fetched on the forbidden thread").isZero();
        assertThat(source.keysFor("k1")).as("a worker then fetches").isNotEmpty();
    }

    @Test
    void aFreshKeyIsServedFromMemoryWhereWaitingIsForbidden() {
        source.keysFor("k1");
        long fetched = source.fetchCount();

        assertThat(Blocking.forbidden(() -> source.keysFor("k1"))).singleElement()
                .satisfies(key -> assertThat(key.getKeyID()).isEqualTo("k1"));
        assertThat(source.fetchCount()).isEqualTo(fetched);
    }

    @Test
    void anUnknownKidWouldRefetchSoItThrowsBeforeFetching() {
        source.keysFor("k1");
        long fetched = source.fetchCount();

        assertThatThrownBy(() -> Blocking.forbidden(() -> source.keysFor("rotated-in")))
                .isInstanceOf(Blocking.WouldBlockException.class);
        assertThat(source.fetchCount()).isEqualTo(fetched);
    }
}
