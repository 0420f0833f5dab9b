package io.claimgate.benchmarks;

import io.claimgate.model.JwtAuthSettings;
import io.claimgate.validator.crypto.SignatureProviders;
import io.claimgate.validator.crypto.SignatureProviders.Preference;
import io.claimgate.validator.token.StaticKeySource;
import io.claimgate.validator.token.TokenVerifier;
import io.claimgate.validator.token.VerifiedToken;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Claimgate's {@link TokenVerifier} on a token not seen before: signature, expiry, issuer, audience, token type, with
 * the JDK's RSA and with Amazon Corretto Crypto Provider. The verifier has no cache; the pool cycles anyway so that
 * this path stays honest if it ever gets one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ClaimgateVerificationBenchmark {

    /** {@code jdk}: forced JDK; {@code corretto}: what {@code auto} picks where the native library loads. */
    @Param({"jdk", "corretto"})
    public String provider;

    private TokenVerifier verifier;

    @Setup
    public void setUp(TokenPool pool) {
        JwtAuthSettings settings = JwtAuthSettings.defaults().environment(Map.of(
                JwtAuthSettings.ENV_ISSUER, KeycloakTokens.ISSUER,
                JwtAuthSettings.ENV_AUDIENCE, KeycloakTokens.AUDIENCE));
        Preference preference = "jdk".equals(provider) ? Preference.JDK : Preference.AUTO;
        verifier = new TokenVerifier(settings.token(), StaticKeySource.of(pool.tokens.jwk()),
                SignatureProviders.select(preference).provider().orElse(null));
    }

    @Benchmark
    public VerifiedToken verifyNotSeenBefore(TokenPool pool, TokenPool.Cursor cursor) {
        return verifier.verify(cursor.next(pool));
    }
}
