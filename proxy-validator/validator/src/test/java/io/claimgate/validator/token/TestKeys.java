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
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Keys generated once per test run, and raw token signing so that tests can craft any header or payload. */
final class TestKeys {

    static final RSAKey RSA = rsa("rsa-1");
    static final RSAKey RSA_OTHER = rsa("rsa-2");
    static final ECKey P256 = ec(Curve.P_256, "ec-256");
    static final ECKey P384 = ec(Curve.P_384, "ec-384");
    static final ECKey P521 = ec(Curve.P_521, "ec-521");

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
            return new ECDSASigner((ECKey) key).sign(header, signingInput).toString();
        } catch (JOSEException e) {
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
