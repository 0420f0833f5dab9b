package io.claimgate.benchmarks;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.auth0.jwt.interfaces.JWTVerifier;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a user would pick instead of Claimgate, each set up the way its documentation shows, checking the same things
 * (signature, expiry, issuer, audience) on a token not seen before. None of them caches.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PeerVerificationBenchmark {

    private DefaultJWTProcessor<SecurityContext> nimbus;
    private JWTVerifier auth0;
    private JwtParser jjwt;

    @Setup
    public void setUp(TokenPool pool) {
        nimbus = new DefaultJWTProcessor<>();
        nimbus.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                new ImmutableJWKSet<>(new JWKSet(pool.tokens.jwk()))));
        nimbus.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(KeycloakTokens.AUDIENCE,
                new JWTClaimsSet.Builder().issuer(KeycloakTokens.ISSUER).build(), Set.of("sub", "exp")));

        auth0 = JWT.require(Algorithm.RSA256(pool.tokens.publicKey(), null))
                .withIssuer(KeycloakTokens.ISSUER)
                .withAudience(KeycloakTokens.AUDIENCE)
                .build();

        jjwt = Jwts.parser()
                .verifyWith(pool.tokens.publicKey())
                .requireIssuer(KeycloakTokens.ISSUER)
                .requireAudience(KeycloakTokens.AUDIENCE)
                .build();
    }

    @Benchmark
    public JWTClaimsSet nimbusDefaultJwtProcessor(TokenPool pool, TokenPool.Cursor cursor) throws Exception {
        return nimbus.process(cursor.next(pool), null);
    }

    @Benchmark
    public DecodedJWT auth0JavaJwt(TokenPool pool, TokenPool.Cursor cursor) {
        return auth0.verify(cursor.next(pool));
    }

    @Benchmark
    public Claims jjwt(TokenPool pool, TokenPool.Cursor cursor) {
        return jjwt.parseSignedClaims(cursor.next(pool)).getPayload();
    }
}
