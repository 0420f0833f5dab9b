package io.claimgate.benchmarks;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import io.claimgate.model.JwtAuthSettings;
import io.claimgate.validator.crypto.SignatureProviders;
import io.claimgate.validator.token.SignedToken;
import io.claimgate.validator.token.StaticKeySource;
import io.claimgate.validator.token.TokenVerifier;
import io.claimgate.validator.token.VerifiedToken;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
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
 * The floor under every verifier: the RSA-2048 signature check alone, and nimbus's bare {@link RSASSAVerifier}
 * (parse + signature, no claims), and Claimgate's signature stage and whole verification of the same token, per JCA
 * provider. A verifier far below {@code nimbusRsassaVerifier} spends its time outside the signature. Diagnostics, not
 * a comparison.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SignatureBreakdownBenchmark {

    /** {@code jdk}: the JDK's own providers; {@code corretto}: Amazon Corretto Crypto Provider. */
    @Param({"jdk", "corretto"})
    public String provider;

    private String token;
    private byte[] signingInput;
    private byte[] signature;
    private RSAPublicKey publicKey;
    private PublicKey providerKey;
    private Provider jca;
    private RSASSAVerifier nimbusVerifier;
    private TokenVerifier claimgate;

    @Setup
    public void setUp(TokenPool pool) {
        token = pool.seenBefore;
        int lastDot = token.lastIndexOf('.');
        signingInput = token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII);
        signature = Base64.getUrlDecoder().decode(token.substring(lastDot + 1));
        publicKey = pool.tokens.publicKey();
        jca = "corretto".equals(provider)
                ? SignatureProviders.select(SignatureProviders.Preference.AUTO).provider().orElseThrow()
                : null;
        try {
            KeyFactory keys = jca == null ? KeyFactory.getInstance("RSA") : KeyFactory.getInstance("RSA", jca);
            providerKey = (PublicKey) keys.translateKey(publicKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        nimbusVerifier = new RSASSAVerifier(publicKey);
        nimbusVerifier.getJCAContext().setProvider(jca);
        claimgate = new TokenVerifier(JwtAuthSettings.defaults().environment(Map.of(
                JwtAuthSettings.ENV_ISSUER, KeycloakTokens.ISSUER,
                JwtAuthSettings.ENV_AUDIENCE, KeycloakTokens.AUDIENCE)).token(),
                StaticKeySource.of(pool.tokens.jwk()), jca);
    }

    /** The RSA-2048 verification alone, as a verifier must do it: a fresh Signature per token. */
    @Benchmark
    public boolean rsaSignatureOnly() throws Exception {
        return rsaVerify(publicKey);
    }

    /**
     * As {@link #rsaSignatureOnly()}, with the key translated once into the provider's own key class: shows what a
     * verifier saves by preparing the key for its provider instead of letting the provider convert it per call.
     */
    @Benchmark
    public boolean rsaSignatureProviderKey() throws Exception {
        return rsaVerify(providerKey);
    }

    private boolean rsaVerify(PublicKey key) throws GeneralSecurityException {
        Signature verifier = jca == null
                ? Signature.getInstance("SHA256withRSA")
                : Signature.getInstance("SHA256withRSA", jca);
        verifier.initVerify(key);
        verifier.update(signingInput);
        return verifier.verify(signature);
    }

    /** Claimgate's signature stage alone: hygiene, header JSON, key choice, signature; the payload is not read. */
    @Benchmark
    public SignedToken claimgateSignatureStage() {
        return claimgate.verifySignature(token);
    }

    /** Claimgate's whole verification of the same token (the verifier has no cache): signature stage + claims. */
    @Benchmark
    public VerifiedToken claimgateVerify() {
        return claimgate.verify(token);
    }

    /** Parse + {@link RSASSAVerifier}: the least any nimbus-based verifier does, without claims checks. */
    @Benchmark
    public boolean nimbusRsassaVerifier() throws Exception {
        return JWSObject.parse(token).verify(nimbusVerifier);
    }
}
