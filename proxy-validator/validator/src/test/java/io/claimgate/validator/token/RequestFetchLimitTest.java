package io.claimgate.validator.token;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestFetchLimitTest {

    private static final long WINDOW = 30_000;

    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final JWKSetSource<FetchCause> idp = new JWKSetSource<>() {
        @Override
        public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator evaluator, long currentTime, FetchCause cause) {
            fetches.incrementAndGet();
            return new JWKSet();
        }

        @Override
        public void close() {
        }
    };
    private final RequestFetchLimit limit = new RequestFetchLimit(idp, WINDOW, refused::incrementAndGet);

    private JWKSet fetch(long at, FetchCause cause) throws KeySourceException {
        return limit.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), at, cause);
    }

    @Test
    void letsTwoRequestFetchesThroughPerWindowAndRefusesTheRest() throws Exception {
        fetch(0, FetchCause.REQUEST);
        fetch(1_000, FetchCause.REQUEST);

        assertThatThrownBy(() -> fetch(WINDOW - 1, FetchCause.REQUEST)).isInstanceOf(RateLimitReachedException.class);
        assertThat(fetches).hasValue(2);
        assertThat(refused).hasValue(1);

        fetch(WINDOW, FetchCause.REQUEST);
        assertThat(fetches).as("a new window opens").hasValue(3);
    }

    @Test
    void backgroundRefreshPassesWhenRequestsHaveSpentTheWindow() throws Exception {
        fetch(0, FetchCause.REQUEST);
        fetch(1, FetchCause.REQUEST);
        assertThatThrownBy(() -> fetch(2, FetchCause.REQUEST)).isInstanceOf(RateLimitReachedException.class);

        for (int i = 0; i < 10; i++) {
            fetch(3 + i, FetchCause.REFRESH);
        }

        assertThat(fetches).hasValue(12);
        assertThat(refused).hasValue(1);
    }

    @Test
    void backgroundRefreshSpendsNoRequestPermit() throws Exception {
        for (int i = 0; i < 10; i++) {
            fetch(i, FetchCause.REFRESH);
        }

        fetch(20, FetchCause.REQUEST);
        fetch(21, FetchCause.REQUEST);

        assertThat(fetches).hasValue(12);
        assertThat(refused).hasValue(0);
    }
}
