package io.claimgate.gateway;

import io.claimgate.model.AuthResult;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.AuthRequest;
import io.claimgate.validator.Authenticator;
import io.claimgate.validator.Caller;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Accepts {@code general_settings.master_key} as a proxy-admin bearer, as LiteLLM does, and hands every other request
 * to the JWT authenticator.
 *
 * <p>The key is compared as SHA-256 digests with {@link MessageDigest#isEqual}: constant time, and equal lengths
 * whatever the caller sends, so timing reveals neither the key nor its length. As in LiteLLM, the master key may call
 * every route, so no route check applies to it.
 */
public final class MasterKeyAuthenticator implements Authenticator {

    /** LiteLLM's user id for the master key ({@code litellm_proxy_admin_name}). */
    public static final String MASTER_KEY_USER_ID = "default_user_id";

    private final byte[] masterKeyDigest;
    private final String masterKeyHash;
    /** Whether the key has a dot; when it has none, a JWT (which always has two) cannot be it. */
    private final boolean masterKeyHasDot;
    private final Authenticator delegate;
    /** The master key's caller: a proxy admin on every route, as in LiteLLM, decided before any body is read. */
    private final Caller masterKeyCaller;

    /**
     * @param masterKey the master key; must not be blank
     * @param delegate  who authenticates every other bearer
     */
    public MasterKeyAuthenticator(String masterKey, Authenticator delegate) {
        if (masterKey == null || masterKey.isBlank()) {
            throw new IllegalArgumentException("master key must not be blank");
        }
        this.masterKeyDigest = sha256(masterKey);
        this.masterKeyHash = HexFormat.of().formatHex(masterKeyDigest);
        this.masterKeyHasDot = masterKey.indexOf('.') >= 0;
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.masterKeyCaller = Caller.decided(admin(null));
    }

    /** An authenticator for a gateway without JWT auth: every bearer but the master key gets 401. */
    public static Authenticator jwtDisabled() {
        return new Authenticator() {
            @Override
            public Caller identify(String token, String route) {
                throw AuthException.unauthorized("jwt_auth_disabled", "JWT auth is not enabled on this gateway "
                        + "(general_settings.enable_jwt_auth); use the master key");
            }

            @Override
            public AuthResult authorize(Caller caller, AuthRequest request) {
                return caller.decided().orElseThrow(() -> new IllegalArgumentException("not identified here"));
            }
        };
    }

    @Override
    public Caller identify(String token, String route) {
        // Every JWT has dots: skip hashing it on each request when the key has none. That reveals only that the key
        // is not a JWT, nothing about the key itself.
        if (token != null && (masterKeyHasDot || token.indexOf('.') < 0)
                && MessageDigest.isEqual(masterKeyDigest, sha256(token))) {
            return masterKeyCaller;
        }
        return delegate.identify(token, route);
    }

    @Override
    public AuthResult authorize(Caller caller, AuthRequest request) {
        if (caller == masterKeyCaller) {
            // Spend is still attributed to the end user the body names.
            return admin(request.endUserId());
        }
        return delegate.authorize(caller, request);
    }

    private AuthResult admin(String endUserId) {
        return AuthResult.admin(MASTER_KEY_USER_ID, null, null, endUserId, masterKeyHash, Long.MAX_VALUE);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
