package io.claimgate.validator.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/** Keys generated once per test run, and raw token signing so that tests can craft any header or payload. */
final class TestKeys {

    static final RSAKey RSA = rsa("rsa-1");
    static final RSAKey RSA_OTHER = rsa("rsa-2");
    static final ECKey P256 = ec(Curve.P_256, "ec-256");
    static final ECKey P384 = ec(Curve.P_384, "ec-384");
    static final ECKey P521 = ec(Curve.P_521, "ec-521");
    static final OctetKeyPair ED25519 = okp(Curve.Ed25519, "ed-25519");

    /** The DER prefix of an Ed25519 PKCS#8 private key (RFC 8410); the raw 32-byte seed follows. */
    private static final byte[] ED25519_PKCS8_PREFIX =
            {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};

    private TestKeys() {
    }

    static RSAKey rsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static ECKey ec(Curve curve, String kid) {
        try {
            return new ECKeyGenerator(curve).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * An OKP key pair made by the JDK (nimbus needs Tink to generate or sign with one): {@code Ed25519} or
     * {@code Ed448}, with {@code x} and {@code d} cut from the ends of the DER encodings (RFC 8410).
     */
    static OctetKeyPair okp(Curve curve, String kid) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance(curve.getName()).generateKeyPair();
            int length = Curve.Ed25519.equals(curve) ? 32 : 57;
            byte[] spki = pair.getPublic().getEncoded();
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            return new OctetKeyPair.Builder(curve, Base64URL.encode(Arrays.copyOfRange(spki, spki.length - length,
                    spki.length)))
                    .d(Base64URL.encode(Arrays.copyOfRange(pkcs8, pkcs8.length - length, pkcs8.length)))
                    .keyID(kid).build();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An Ed25519 signature by the JDK over the signing input. */
    private static String ed25519Signature(OctetKeyPair key, byte[] signingInput) throws GeneralSecurityException {
        byte[] seed = key.getDecodedD();
        byte[] pkcs8 = Arrays.copyOf(ED25519_PKCS8_PREFIX, ED25519_PKCS8_PREFIX.length + seed.length);
        System.arraycopy(seed, 0, pkcs8, ED25519_PKCS8_PREFIX.length, seed.length);
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
        signer.update(signingInput);
        return Base64URL.encode(signer.sign()).toString();
    }

    static String b64(String s) {
        return b64(s.getBytes(StandardCharsets.UTF_8));
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A compact JWS over exactly these header and payload JSON texts, signed with {@code key} using {@code alg}. */
    static String sign(JWK key, String alg, String headerJson, String payloadJson) {
        String signingInput = b64(headerJson) + "." + b64(payloadJson);
        return signingInput + "." + signature(key, JWSAlgorithm.parse(alg),
                signingInput.getBytes(StandardCharsets.US_ASCII));
    }

    /** A token with header {@code {"alg":alg,"kid":key's kid}}. */
    static String sign(JWK key, String alg, String payloadJson) {
        return sign(key, alg, "{\"alg\":\"" + alg + "\",\"kid\":\"" + key.getKeyID() + "\"}", payloadJson);
    }

    static String signature(JWK key, JWSAlgorithm alg, byte[] signingInput) {
        try {
            JWSHeader header = new JWSHeader(alg);
            if (key instanceof RSAKey rsa) {
                return new RSASSASigner(rsa).sign(header, signingInput).toString();
            }
            if (key instanceof OctetKeyPair okp) {
                return ed25519Signature(okp, signingInput);
            }
            return new ECDSASigner((ECKey) key).sign(header, signingInput).toString();
        } catch (JOSEException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An HMAC-signed token, as an attacker who treats a public key as the shared secret would make it. */
    static String signHmac(byte[] secret, String headerJson, String payloadJson) {
        String signingInput = b64(headerJson) + "." + b64(payloadJson);
        try {
            return signingInput + "." + new MACSigner(secret).sign(new JWSHeader(JWSAlgorithm.HS256),
                    signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
