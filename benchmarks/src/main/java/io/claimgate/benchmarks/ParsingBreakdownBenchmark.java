package io.claimgate.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
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
 * Everything in a verification but the signature: compact-serialisation parse, base64url, and the payload JSON with
 * nimbus's parser and with Jackson. Diagnostics, not a comparison: add these up and compare with the full paths.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ParsingBreakdownBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    private String token;
    private String payloadJson;
    private byte[] payloadBytes;

    @Setup
    public void setUp(TokenPool pool) {
        token = pool.seenBefore;
        payloadJson = KeycloakTokens.payload(0);
        payloadBytes = payloadJson.getBytes(StandardCharsets.UTF_8);
    }

    /** nimbus's compact parse: split, base64 of the three parts, header JSON. */
    @Benchmark
    public JWSObject nimbusJwsParse() throws Exception {
        return JWSObject.parse(token);
    }

    /** nimbus's compact parse plus the claims set (payload JSON), no signature. */
    @Benchmark
    public JWTClaimsSet nimbusSignedJwtClaims() throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet();
    }

    /** The payload's base64url decode alone. */
    @Benchmark
    public byte[] base64Payload() {
        return Base64.getUrlDecoder().decode(token.substring(token.indexOf('.') + 1, token.lastIndexOf('.')));
    }

    /** SHA-256 of the whole token, as a verified-token cache key (TokenVerifier computes it on every verify). */
    @Benchmark
    public byte[] sha256Token() throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
    }

    /** The payload JSON with nimbus's parser (its shaded Gson), to a map. */
    @Benchmark
    public Map<String, Object> jsonNimbus() throws Exception {
        return JSONObjectUtils.parse(payloadJson);
    }

    /** The payload JSON with Jackson, to a tree. */
    @Benchmark
    public JsonNode jsonJackson() throws Exception {
        return JSON.readTree(payloadBytes);
    }
}
