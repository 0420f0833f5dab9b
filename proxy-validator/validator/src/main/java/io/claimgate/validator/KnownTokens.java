package io.claimgate.validator;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.claimgate.validator.access.RoleResolution;
import io.claimgate.validator.claims.TokenClaims;
import io.claimgate.validator.token.VerifiedToken;
import java.time.Clock;
import java.util.function.Function;

/**
 * Tokens already verified, with what follows from the token alone: its claims and its role. It only remembers; what
 * a token turns into is the function it is given.
 *
 * <p>A gateway sees the same token on every request of a session, and verifying an RSA signature costs far more than
 * everything else together. The cache is keyed on the whole token, never a prefix (LiteLLM's userinfo cache keyed on
 * 20 characters let one user act as another, CVE-2026-35030). An entry lives until its token expires and no longer;
 * its expiry is checked again on every hit, so a token can never outlive its {@code exp}, and so is its signing key:
 * once that key has left the key set (rotated out or revoked at a JWKS refresh), the token is verified again, and
 * refused. Only outcomes that depend on nothing but the token are kept: teams, users and budgets are read through
 * the {@code Directory} on every request, so blocking a team takes effect at once.
 */
final class KnownTokens {

    static final long DEFAULT_SIZE = 100_000;
    private static final long MAX_LIFETIME_SECONDS = 366L * 24 * 3600;

    private final Function<String, KnownToken> reader;
    private final long leewaySeconds;
    private final Clock clock;
    private final Cache<String, KnownToken> cache;

    /**
     * @param reader        verifies a token and derives what is remembered; throws {@link AuthException} to refuse
     * @param leewaySeconds the clock skew allowed on {@code exp}
     * @param maximumSize   how many tokens to remember; 0 remembers none
     */
    KnownTokens(Function<String, KnownToken> reader, long leewaySeconds, long maximumSize, Clock clock) {
        this.reader = reader;
        this.leewaySeconds = leewaySeconds;
        this.clock = clock;
        this.cache = maximumSize == 0 ? null : Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfter(new UntilTokenExpiry())
                // Upkeep on the calling thread: the common ForkJoinPool would wake a thread for it on many hits.
                .executor(Runnable::run)
                .build();
    }

    /**
     * The token, verified now or earlier.
     *
     * @throws AuthException when it does not verify or has expired
     */
    KnownToken get(String token) {
        if (cache == null) {
            return reader.apply(token);
        }
        KnownToken known = cache.getIfPresent(token);
        if (known != null) {
            if (clock.millis() / 1000 < known.verified().expiresAt() + leewaySeconds
                    && known.issuer().keys().holds(known.verified().keyId())) {
                return known;
            }
            cache.invalidate(token);
        }
        known = reader.apply(token);
        cache.put(token, known);
        return known;
    }

    void clear() {
        if (cache != null) {
            cache.invalidateAll();
        }
    }

    long size() {
        return cache == null ? 0 : cache.estimatedSize();
    }

    /**
     * A verified token with its claims, its role ({@code null} when no role applies) and the issuer that verified
     * it, whose key source is asked on every hit whether it still holds the token's key.
     */
    record KnownToken(VerifiedToken verified, TokenClaims claims, RoleResolution role, TrustedIssuer issuer) {
    }

    /** Entries expire with their token; Caffeine's clock is only a backstop, the hit path checks the real one. */
    private final class UntilTokenExpiry implements Expiry<String, KnownToken> {
        @Override
        public long expireAfterCreate(String key, KnownToken value, long currentTime) {
            long seconds = value.verified().expiresAt() + leewaySeconds - clock.millis() / 1000;
            // Capped so that a token expiring centuries ahead cannot overflow Caffeine's nanoseconds.
            return Math.min(Math.max(0, seconds), MAX_LIFETIME_SECONDS) * 1_000_000_000L;
        }

        @Override
        public long expireAfterUpdate(String key, KnownToken value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(String key, KnownToken value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
