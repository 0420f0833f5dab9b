package io.claimgate.validator.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyOperation;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.interfaces.ECPublicKey;
import java.util.Set;

/**
 * One public key made ready to verify: which algorithms it may verify, and the nimbus verifier built once for it.
 *
 * <p>Built once per key and cached by the verifier, so the per-token path does no key conversion. A key that can
 * never verify (wrong type, {@code use} other than {@code sig}, {@code key_ops} without {@code verify}, an RSA
 * modulus under 2048 bits, an unsupported curve, Ed448) is kept as unusable with the reason, so that the refusal is
 * cached too.
 */
final class VerificationKey {

    /** Shorter RSA keys are factorable in practice; no IdP we support issues them. */
    static final int MIN_RSA_BITS = 2048;

    private static final Set<JWSAlgorithm> RSA_ALGORITHMS = Set.of(
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512);

    private final JWK jwk;
    private final Set<JWSAlgorithm> algorithms;
    private final JWSVerifier verifier;
    /** For RSA keys: RS256/384/512 verified directly, see {@link PkcsSignatures}; {@code null} otherwise. */
    private final PkcsSignatures pkcs;
    private final String unusableReason;
    /** For EC keys: the curve order and the length of r and s in a JWS signature; 0/null for RSA. */
    private final BigInteger curveOrder;
    private final int coordinateLength;
    /** For Ed25519 keys: EdDSA, verified by the JDK, see {@link Ed25519Signatures}; {@code null} otherwise. */
    private final Ed25519Signatures ed25519;

    private VerificationKey(JWK jwk, Set<JWSAlgorithm> algorithms, JWSVerifier verifier, PkcsSignatures pkcs,
                            String unusableReason, BigInteger curveOrder, int coordinateLength,
                            Ed25519Signatures ed25519) {
        this.jwk = jwk;
        this.algorithms = algorithms;
        this.verifier = verifier;
        this.pkcs = pkcs;
        this.unusableReason = unusableReason;
        this.curveOrder = curveOrder;
        this.coordinateLength = coordinateLength;
        this.ed25519 = ed25519;
    }

    /** Prepares a key; never throws: a key that cannot verify comes back {@linkplain #usable() unusable}. */
    static VerificationKey prepare(JWK jwk, Provider provider) {
        if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
            return unusable(jwk, "key use is not sig");
        }
        if (jwk.getKeyOperations() != null && !jwk.getKeyOperations().contains(KeyOperation.VERIFY)) {
            return unusable(jwk, "key_ops does not allow verify");
        }
        try {
            if (jwk instanceof RSAKey rsa) {
                if (rsa.size() < MIN_RSA_BITS) {
                    return unusable(jwk, "RSA key shorter than " + MIN_RSA_BITS + " bits");
                }
                RSASSAVerifier v = new RSASSAVerifier(rsa.toRSAPublicKey());
                useProvider(v, provider);
                return new VerificationKey(jwk, RSA_ALGORITHMS, v, PkcsSignatures.of(rsa.toRSAPublicKey(), provider),
                        null, null, 0, null);
            }
            if (jwk instanceof ECKey ec) {
                JWSAlgorithm alg = ecAlgorithm(ec.getCurve());
                if (alg == null) {
                    return unusable(jwk, "unsupported EC curve");
                }
                ECPublicKey publicKey = ec.toECPublicKey();
                ECDSAVerifier v = new ECDSAVerifier(publicKey);
                useProvider(v, provider);
                int coordinateLength = (publicKey.getParams().getOrder().bitLength() + 7) / 8;
                return new VerificationKey(jwk, Set.of(alg), v, null, null, publicKey.getParams().getOrder(),
                        coordinateLength, null);
            }
            if (jwk instanceof OctetKeyPair okp) {
                if (!Curve.Ed25519.equals(okp.getCurve())) {
                    return unusable(jwk, "OKP curve " + okp.getCurve() + " is not accepted; only Ed25519");
                }
                return new VerificationKey(jwk, Set.of(JWSAlgorithm.EdDSA), null, null, null, null, 0,
                        Ed25519Signatures.of(okp));
            }
        } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
            return unusable(jwk, "key cannot be used: " + e.getClass().getSimpleName());
        }
        return unusable(jwk, "key type " + jwk.getKeyType() + " cannot verify RS/PS/ES/EdDSA signatures");
    }

    private static void useProvider(JWSVerifier verifier, Provider provider) {
        if (provider != null) {
            verifier.getJCAContext().setProvider(provider);
        }
    }

    private static JWSAlgorithm ecAlgorithm(Curve curve) {
        if (Curve.P_256.equals(curve)) {
            return JWSAlgorithm.ES256;
        }
        if (Curve.P_384.equals(curve)) {
            return JWSAlgorithm.ES384;
        }
        if (Curve.P_521.equals(curve)) {
            return JWSAlgorithm.ES512;
        }
        return null;
    }

    private static VerificationKey unusable(JWK jwk, String reason) {
        return new VerificationKey(jwk, Set.of(), null, null, reason, null, 0, null);
    }

    /** Whether this key can verify anything at all. */
    boolean usable() {
        return verifier != null || ed25519 != null;
    }

    /** Why the key can verify nothing, or {@code null} when it is usable. */
    String unusableReason() {
        return unusableReason;
    }

    /**
     * Whether this key may verify a token of this algorithm: the key type and curve fit, and the JWK's own
     * {@code alg}, when set, names exactly this algorithm.
     */
    boolean fits(JWSAlgorithm alg) {
        return algorithms.contains(alg)
                && (jwk.getAlgorithm() == null || jwk.getAlgorithm().getName().equals(alg.getName()));
    }

    /** The key's {@code kid}, possibly {@code null}. */
    String keyId() {
        return jwk.getKeyID();
    }

    /**
     * Verifies a signature; the caller has checked {@link #fits(JWSAlgorithm)}.
     *
     * @return whether the signature is valid; {@code false} for any signature the provider cannot even read
     */
    boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature, byte[] signatureBytes) {
        if (ed25519 != null) {
            return ed25519.verify(signingInput, signatureBytes);
        }
        if (curveOrder != null && !isCanonicalEcdsa(signatureBytes)) {
            return false;
        }
        if (pkcs != null && pkcs.handles(header.getAlgorithm())) {
            return pkcs.verify(header.getAlgorithm(), signingInput, signatureBytes);
        }
        try {
            return verifier.verify(header, signingInput, signature);
        } catch (JOSEException | RuntimeException e) {
            return false;
        }
    }

    /**
     * An ECDSA JWS signature is r||s, each exactly the curve's byte length, with 1 <= r, s < n. Checked here rather
     * than trusting every provider to (CVE-2022-21449 accepted r = s = 0).
     */
    private boolean isCanonicalEcdsa(byte[] signature) {
        if (signature.length != 2 * coordinateLength) {
            return false;
        }
        BigInteger r = new BigInteger(1, signature, 0, coordinateLength);
        BigInteger s = new BigInteger(1, signature, coordinateLength, coordinateLength);
        return r.signum() > 0 && s.signum() > 0 && r.compareTo(curveOrder) < 0 && s.compareTo(curveOrder) < 0;
    }
}
