package io.claimgate.validator.token;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.RateLimitedJWKSetSource;

import java.io.IOException;

/**
 * nimbus's rate limit (two fetches per window) applied to request-driven fetches only.
 *
 * <p>In nimbus's own {@code JWKSourceBuilder} chain the refresh-ahead reload passes the same limit as an unknown-kid
 * refetch, so tokens with made-up {@code kid}s arriving without pause take every permit and the keys are never
 * refreshed: past {@code public_key_ttl + public_key_stale_ttl} every request would get 503. Here the refresh thread
 * ({@link FetchCause#REFRESH}) goes around the limit; its pace is set by the TTL, not by callers.
 */
final class RequestFetchLimit implements JWKSetSource<FetchCause> {

    private final JWKSetSource<FetchCause> source;
    private final RateLimitedJWKSetSource<FetchCause> limited;

    /**
     * @param source       where keys come from
     * @param windowMillis the window in which at most two request-driven fetches pass
     * @param refused      called for each refused fetch (a metric)
     */
    RequestFetchLimit(JWKSetSource<FetchCause> source, long windowMillis, Runnable refused) {
        this.source = source;
        this.limited = new RateLimitedJWKSetSource<>(source, windowMillis, event -> refused.run());
    }

    @Override
    public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator evaluator, long currentTime, FetchCause cause)
            throws KeySourceException {
        return cause == FetchCause.REFRESH
                ? source.getJWKSet(evaluator, currentTime, cause)
                : limited.getJWKSet(evaluator, currentTime, cause);
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
