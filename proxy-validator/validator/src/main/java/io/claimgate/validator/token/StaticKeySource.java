package io.claimgate.validator.token;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import io.claimgate.validator.AuthException;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixed set of public keys: for operators who pin their IdP's keys, for tests and for the Wycheproof run.
 *
 * <p>Only asymmetric public keys are kept: private parts are dropped and a symmetric ({@code oct}) key is refused,
 * because a shared secret next to public keys is how algorithm-confusion attacks start.
 */
public final class StaticKeySource implements KeySource {

    private final KeySet keys;

    private StaticKeySource(List<JWK> keys) {
        List<JWK> publicKeys = new ArrayList<>(keys.size());
        for (JWK key : keys) {
            JWK publicKey = KeyType.OCT.equals(key.getKeyType()) ? null : key.toPublicJWK();
            if (publicKey == null) {
                throw new IllegalArgumentException("key " + key.getKeyID() + " is not an asymmetric public key");
            }
            publicKeys.add(publicKey);
        }
        this.keys = KeySet.of(publicKeys);
    }

    /** A source of exactly these keys (their public parts). */
    public static StaticKeySource of(List<? extends JWK> keys) {
        return new StaticKeySource(List.copyOf(keys));
    }

    /** A source of one key (its public part). */
    public static StaticKeySource of(JWK key) {
        return new StaticKeySource(List.of(key));
    }

    /**
     * A source read from a JWKS document ({@code {"keys": [...]}}).
     *
     * @throws IllegalArgumentException when the document is not a JWK set of public keys
     */
    public static StaticKeySource fromJwks(String jwksJson) {
        try {
            return new StaticKeySource(JWKSet.parse(jwksJson).getKeys());
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWK set: " + e.getMessage(), e);
        }
    }

    @Override
    public List<JWK> keysFor(String kid) {
        if (keys.isEmpty()) {
            throw AuthException.unavailable(Rejection.KEYS_UNAVAILABLE,
                    "Validation fails: no public keys are configured", null);
        }
        return keys.candidates(kid);
    }

    @Override
    public boolean holds(String kid) {
        return !keys.candidates(kid).isEmpty();
    }

    @Override
    public KeySet currentKeys() {
        return keys;
    }
}
