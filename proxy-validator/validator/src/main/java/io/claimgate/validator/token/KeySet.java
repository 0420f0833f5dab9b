package io.claimgate.validator.token;

import com.nimbusds.jose.jwk.JWK;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable set of public keys and LiteLLM's rule for picking one by {@code kid}.
 *
 * <p>The rule ({@code parse_keys} in LiteLLM's {@code handle_jwt.py}): a set of exactly one key serves a token
 * without {@code kid} or with that key's {@code kid}; a larger set serves only a token whose {@code kid} equals a
 * key's {@code kid}. Several keys may share a {@code kid} (an RSA and an EC key, say), so the candidates are a list;
 * the verifier takes the first whose algorithm fits.
 */
public final class KeySet {

    private static final KeySet EMPTY = new KeySet(List.of());

    private final List<JWK> keys;
    private final Map<String, List<JWK>> byKid;

    private KeySet(List<JWK> keys) {
        this.keys = List.copyOf(keys);
        Map<String, List<JWK>> index = new HashMap<>();
        for (JWK key : this.keys) {
            if (key.getKeyID() != null) {
                index.computeIfAbsent(key.getKeyID(), k -> new ArrayList<>(1)).add(key);
            }
        }
        index.replaceAll((kid, list) -> List.copyOf(list));
        this.byKid = Map.copyOf(index);
    }

    /** A set of these public keys, in the order given. */
    public static KeySet of(List<JWK> keys) {
        return keys.isEmpty() ? EMPTY : new KeySet(keys);
    }

    /** The set without keys. */
    public static KeySet empty() {
        return EMPTY;
    }

    /** The keys that may have signed a token with this {@code kid} ({@code null}: the token has none). */
    public List<JWK> candidates(String kid) {
        if (keys.size() == 1) {
            JWK only = keys.get(0);
            return kid == null || kid.equals(only.getKeyID()) ? keys : List.of();
        }
        if (kid == null) {
            return List.of();
        }
        return byKid.getOrDefault(kid, List.of());
    }

    /** All keys, in document order. */
    public List<JWK> keys() {
        return keys;
    }

    /** Whether the set has no key. */
    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** The key ids, for logs. */
    public List<String> keyIds() {
        List<String> ids = new ArrayList<>(keys.size());
        for (JWK key : keys) {
            ids.add(String.valueOf(key.getKeyID()));
        }
        return ids;
    }

    @Override
    public String toString() {
        return "KeySet" + keyIds();
    }
}
