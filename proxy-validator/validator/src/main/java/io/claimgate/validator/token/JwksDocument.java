package io.claimgate.validator.token;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.X509CertUtils;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a key URL answered: public keys, or an OIDC discovery document pointing at them.
 *
 * <p>Accepted shapes, as LiteLLM accepts them: a JWK set {@code {"keys": [...]}}, a bare JSON list of JWKs, a
 * single JWK, a discovery document with {@code jwks_uri}, and a map of {@code kid} to PEM X.509 certificate
 * (Google's style). Keys that are not RSA, EC or Ed25519 ({@code OKP}) public keys, or cannot be read, are skipped
 * so that one odd key does not hide the good ones; symmetric keys and X25519/X448 (key agreement) keys never get in.
 *
 * @param keys    the public keys (empty for a discovery document)
 * @param jwksUri the discovery document's {@code jwks_uri}, or {@code null}
 * @param skipped how many entries were not usable keys
 */
record JwksDocument(List<JWK> keys, URI jwksUri, int skipped) {

    private static final String PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----";

    /**
     * Reads a response body.
     *
     * @throws IOException when the body is none of the accepted shapes
     */
    static JwksDocument parse(byte[] body) throws IOException {
        Object root = BoundedJson.read(body);
        if (root instanceof List<?> list) {
            return fromJwks(list);
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new IOException("key document is neither a JSON object nor a list");
        }
        if (map.get("keys") instanceof List<?> list) {
            return fromJwks(list);
        }
        if (map.get("jwks_uri") instanceof String uri) {
            try {
                return new JwksDocument(List.of(), new URI(uri), 0);
            } catch (URISyntaxException e) {
                throw new IOException("discovery document has an invalid jwks_uri", e);
            }
        }
        if (map.containsKey("kty")) {
            return fromJwks(List.of(map));
        }
        if (!map.isEmpty() && map.values().stream().allMatch(v -> v instanceof String s && s.contains(PEM_CERTIFICATE))) {
            return fromCertificates(map);
        }
        throw new IOException("key document has no keys, jwks_uri, JWK or PEM certificates");
    }

    private static JwksDocument fromJwks(List<?> entries) {
        List<JWK> keys = new ArrayList<>(entries.size());
        int skipped = 0;
        for (Object entry : entries) {
            JWK key = entry instanceof Map<?, ?> map ? publicKey(map) : null;
            if (key == null) {
                skipped++;
            } else {
                keys.add(key);
            }
        }
        return new JwksDocument(List.copyOf(keys), null, skipped);
    }

    @SuppressWarnings("unchecked")
    private static JWK publicKey(Map<?, ?> map) {
        try {
            JWK key = JWK.parse((Map<String, Object>) map);
            boolean signatureKey = KeyType.RSA.equals(key.getKeyType()) || KeyType.EC.equals(key.getKeyType())
                    || key instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve());
            if (!signatureKey) {
                return null;
            }
            return key.toPublicJWK();
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    private static JwksDocument fromCertificates(Map<?, ?> certificates) {
        List<JWK> keys = new ArrayList<>(certificates.size());
        int skipped = 0;
        for (Map.Entry<?, ?> entry : certificates.entrySet()) {
            JWK key = certificateKey(String.valueOf(entry.getKey()), (String) entry.getValue());
            if (key == null) {
                skipped++;
            } else {
                keys.add(key);
            }
        }
        return new JwksDocument(List.copyOf(keys), null, skipped);
    }

    /** The certificate's public key, named by the map key as Google's certificate endpoints do. */
    private static JWK certificateKey(String kid, String pem) {
        X509Certificate certificate = X509CertUtils.parse(pem);
        if (certificate == null) {
            return null;
        }
        PublicKey publicKey = certificate.getPublicKey();
        try {
            if (publicKey instanceof RSAPublicKey rsa) {
                return new RSAKey.Builder(rsa).keyID(kid).build();
            }
            if (publicKey instanceof ECPublicKey ec) {
                Curve curve = Curve.forECParameterSpec(ec.getParams());
                return curve == null ? null : new ECKey.Builder(curve, ec).keyID(kid).build();
            }
            if (publicKey instanceof EdECPublicKey ed && "Ed25519".equals(ed.getParams().getName())) {
                // The SubjectPublicKeyInfo ends with the raw 32-byte key (RFC 8410).
                byte[] spki = ed.getEncoded();
                byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
                return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).keyID(kid).build();
            }
        } catch (RuntimeException e) {
            return null;
        }
        return null;
    }
}
