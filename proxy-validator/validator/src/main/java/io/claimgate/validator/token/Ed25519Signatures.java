package io.claimgate.validator.token;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;

/**
 * JWS {@code EdDSA} with one Ed25519 key ({@code kty: OKP}, {@code crv: Ed25519}), as PyJWT verifies it for LiteLLM.
 *
 * <p>Verified by the JDK's own Ed25519 (there since Java 15), not by the configured backend: nimbus's
 * {@code Ed25519Verifier} needs Google Tink, which we do not ship, and whether Amazon Corretto Crypto Provider offers
 * Ed25519 depends on its version, so the verdict would depend on the machine. Wycheproof's Ed25519 vectors run
 * through this class in {@code WycheproofSignatureTest}. Ed448 is not accepted: no IdP we support signs with it.
 */
final class Ed25519Signatures {

    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the raw 32-byte key follows. */
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    private static final int KEY_LENGTH = 32;
    private static final int SIGNATURE_LENGTH = 64;

    private final PublicKey key;
    private final ThreadLocal<Signature> signature = ThreadLocal.withInitial(Ed25519Signatures::newSignature);

    private Ed25519Signatures(PublicKey key) {
        this.key = key;
    }

    /**
     * Prepares the key.
     *
     * @throws GeneralSecurityException when it is not a 32-byte Ed25519 public key
     */
    static Ed25519Signatures of(OctetKeyPair jwk) throws GeneralSecurityException {
        if (!Curve.Ed25519.equals(jwk.getCurve())) {
            throw new GeneralSecurityException("not an Ed25519 key");
        }
        byte[] x = jwk.getDecodedX();
        if (x.length != KEY_LENGTH) {
            throw new GeneralSecurityException("Ed25519 key is not 32 bytes");
        }
        byte[] spki = new byte[SPKI_PREFIX.length + KEY_LENGTH];
        System.arraycopy(SPKI_PREFIX, 0, spki, 0, SPKI_PREFIX.length);
        System.arraycopy(x, 0, spki, SPKI_PREFIX.length, KEY_LENGTH);
        Ed25519Signatures signatures =
                new Ed25519Signatures(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki)));
        signatures.signature.get();
        return signatures;
    }

    /** Whether the signature is valid; {@code false} also for one of the wrong length or that cannot be read. */
    boolean verify(byte[] signingInput, byte[] signatureBytes) {
        if (signatureBytes.length != SIGNATURE_LENGTH) {
            return false;
        }
        Signature verifier = signature.get();
        try {
            verifier.initVerify(key);
            verifier.update(signingInput);
            return verifier.verify(signatureBytes);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static Signature newSignature() {
        try {
            return Signature.getInstance("Ed25519");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Ed25519 is not available from the JDK", e);
        }
    }
}
