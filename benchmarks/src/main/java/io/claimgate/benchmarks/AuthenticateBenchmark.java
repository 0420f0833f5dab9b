package io.claimgate.benchmarks;

import io.claimgate.model.AuthResult;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.validator.AuthRequest;
import io.claimgate.validator.ProxyAuthenticator;
import io.claimgate.validator.crypto.SignatureProviders;
import io.claimgate.validator.store.CachedDirectory;
import io.claimgate.validator.token.StaticKeySource;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Claimgate's whole {@code authenticate()} for a chat completion, with warm team/user caches: for a token seen before
 * (the verified-token cache answers) and for tokens not seen before (signature and claims every time). The provider
 * is the one {@code auto} picks, as in production.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AuthenticateBenchmark {

    /**
     * Verified-token cache of the "not seen before" authenticator: on, so that its insert and eviction costs are
     * measured, and 64 times smaller than the pool it cycles through, so that at most 1 in 64 requests could hit.
     */
    static final int SMALL_TOKEN_CACHE = TokenPool.DEFAULT_SIZE / 64;

    private static final String ROUTE = "/v1/chat/completions";
    private static final String MODEL = "gpt-4o-mini";

    private ProxyAuthenticator seenAuthenticator;
    private ProxyAuthenticator unseenAuthenticator;
    private AuthRequest seenBefore;

    @Setup
    public void setUp(TokenPool pool) {
        seenAuthenticator = authenticator(pool).build();
        unseenAuthenticator = authenticator(pool).tokenCacheSize(SMALL_TOKEN_CACHE).build();
        seenBefore = AuthRequest.of(pool.seenBefore, ROUTE, MODEL);
        // Warm the object caches and the seen token's entry.
        seenAuthenticator.authenticate(seenBefore);
        unseenAuthenticator.authenticate(seenBefore);
    }

    private static ProxyAuthenticator.Builder authenticator(TokenPool pool) {
        JwtAuthSettings settings = JwtAuthSettings.fromLiteLlm(Map.of(
                        "team_id_jwt_field", "team_id",
                        "team_ids_jwt_field", "team_ids",
                        "user_id_jwt_field", "sub",
                        "user_email_jwt_field", "email",
                        "user_id_upsert", true))
                .environment(Map.of(
                        JwtAuthSettings.ENV_ISSUER, KeycloakTokens.ISSUER,
                        JwtAuthSettings.ENV_AUDIENCE, KeycloakTokens.AUDIENCE));
        return ProxyAuthenticator.builder(settings)
                .keySource(StaticKeySource.of(pool.tokens.jwk()))
                .directory(new CachedDirectory(new FixedDirectory()))
                .signatureProvider(SignatureProviders.configured().provider().orElse(null));
    }

    @Benchmark
    public AuthResult authenticateSeenBefore() {
        return seenAuthenticator.authenticate(seenBefore);
    }

    @Benchmark
    public AuthResult authenticateNotSeenBefore(TokenPool pool, TokenPool.Cursor cursor) {
        return unseenAuthenticator.authenticate(AuthRequest.of(cursor.next(pool), ROUTE, MODEL));
    }
}
