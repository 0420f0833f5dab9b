package io.claimgate.model;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where the signing keys come from and how long they are trusted: the key source stage's settings.
 *
 * @param publicKeyUrls     {@code JWT_PUBLIC_KEY_URL}: JWKS or OpenID discovery URLs, tried in order
 * @param publicKeyTtl      {@code public_key_ttl}: how long fetched keys are used before they are fetched again
 * @param publicKeyStaleTtl {@code public_key_stale_ttl}: how long past their TTL keys still verify while the source
 *                          is down
 * @param issuers           {@code issuers}: issuers with keys of their own, picked by the token's {@code iss};
 *                          {@link #publicKeyUrls} then serve only tokens whose {@code iss} none of them names
 */
public record KeySourceSettings(List<String> publicKeyUrls, Duration publicKeyTtl, Duration publicKeyStaleTtl,
                                List<IssuerSettings> issuers) {

    public static final Duration DEFAULT_PUBLIC_KEY_TTL = Duration.ofSeconds(600);
    public static final Duration DEFAULT_PUBLIC_KEY_STALE_TTL = Duration.ofHours(1);

    public KeySourceSettings {
        publicKeyUrls = List.copyOf(Objects.requireNonNull(publicKeyUrls, JwtAuthSettings.ENV_PUBLIC_KEY_URL));
        for (String url : publicKeyUrls) {
            SettingChecks.require(url.startsWith("https://") || url.startsWith("http://"),
                    JwtAuthSettings.ENV_PUBLIC_KEY_URL,
                    "'" + url + "' is not an http(s) URL");
        }
        SettingChecks.require(publicKeyTtl != null && !publicKeyTtl.isNegative() && !publicKeyTtl.isZero(),
                "public_key_ttl",
                "must be more than 0 seconds");
        SettingChecks.require(publicKeyStaleTtl != null && !publicKeyStaleTtl.isNegative(), "public_key_stale_ttl",
                "must be 0 seconds or more");
        issuers = List.copyOf(Objects.requireNonNull(issuers, IssuerSettings.KEY));
    }

    /** Settings without {@code issuers}: every token is verified with {@link #publicKeyUrls}. */
    public KeySourceSettings(List<String> publicKeyUrls, Duration publicKeyTtl, Duration publicKeyStaleTtl) {
        this(publicKeyUrls, publicKeyTtl, publicKeyStaleTtl, List.of());
    }

    static KeySourceSettings read(SettingsBlock block) {
        return new KeySourceSettings(List.of(), block.seconds("public_key_ttl", DEFAULT_PUBLIC_KEY_TTL),
                block.seconds("public_key_stale_ttl", DEFAULT_PUBLIC_KEY_STALE_TTL), IssuerSettings.readAll(block));
    }

    /** These settings with other URLs. */
    public KeySourceSettings withPublicKeyUrls(List<String> urls) {
        return new KeySourceSettings(urls, publicKeyTtl, publicKeyStaleTtl, issuers);
    }

    /** Whether any key is configured: a {@code JWT_PUBLIC_KEY_URL} or an issuer. */
    public boolean hasKeys() {
        return !publicKeyUrls.isEmpty() || !issuers.isEmpty();
    }
}
