package io.claimgate.validator.token;

import com.nimbusds.jose.JWSAlgorithm;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;

/**
 * RS256, RS384 and RS512 for one RSA key, verified straight through JCA: the path nearly every Keycloak token takes.
 *
 * <p>nimbus's {@code RSASSAVerifier} looks the algorithm up in the provider, creates a {@link Signature}, decodes the
 * signature again and hands the JDK's key object to the provider on every call; a native provider then converts that
 * key every time. Here the key is translated into the provider's own form once, and each thread keeps one
 * {@code Signature} per algorithm, fed the bytes the token parser already decoded. PS and ES signatures still go
 * through nimbus, which knows their parameters and encodings.
 */
final class PkcsSignatures {

    private final PublicKey key;
    private final ThreadLocal<Signature> rs256;
    private final ThreadLocal<Signature> rs384;
    private final ThreadLocal<Signature> rs512;

    private PkcsSignatures(PublicKey key, Provider provider) {
        this.key = key;
        this.rs256 = ThreadLocal.withInitial(() -> signature("SHA256withRSA", provider));
        this.rs384 = ThreadLocal.withInitial(() -> signature("SHA384withRSA", provider));
        this.rs512 = ThreadLocal.withInitial(() -> signature("SHA512withRSA", provider));
    }

    /**
     * Prepares the key for {@code provider} ({@code null}: the JDK's providers), or returns {@code null} when the
     * provider cannot take it, in which case nimbus's verifier serves every algorithm.
     */
    static PkcsSignatures of(RSAPublicKey publicKey, Provider provider) {
        try {
            PublicKey translated = provider == null ? publicKey
                    : (PublicKey) KeyFactory.getInstance("RSA", provider).translateKey(publicKey);
            PkcsSignatures signatures = new PkcsSignatures(translated, provider);
            signatures.rs256.get();
            return signatures;
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    boolean handles(JWSAlgorithm alg) {
        return JWSAlgorithm.RS256.equals(alg) || JWSAlgorithm.RS384.equals(alg) || JWSAlgorithm.RS512.equals(alg);
    }

    /** Whether the signature is valid; {@code false} also for one the provider cannot read (wrong length, say). */
    boolean verify(JWSAlgorithm alg, byte[] signingInput, byte[] signature) {
        Signature verifier = JWSAlgorithm.RS256.equals(alg) ? rs256.get()
                : JWSAlgorithm.RS384.equals(alg) ? rs384.get() : rs512.get();
        try {
            verifier.initVerify(key);
            verifier.update(signingInput);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static Signature signature(String algorithm, Provider provider) {
        try {
            return provider == null ? Signature.getInstance(algorithm) : Signature.getInstance(algorithm, provider);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is not available from " + provider, e);
        }
    }
}
