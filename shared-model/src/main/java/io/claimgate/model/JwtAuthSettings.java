package io.claimgate.model;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JWT auth settings, one record per stage of the pipeline: where keys come from, what a token must be, where
 * claims are read, how roles are resolved and what callers may do. Each stage receives only its own record, and
 * each record checks itself when built; this one checks only what spans two stages.
 *
 * <p>Read it from a {@code config.yaml}'s {@code litellm_jwtauth} block with {@link #fromLiteLlm(Map)}: every key
 * LiteLLM knows is accepted under its LiteLLM name and default, an unknown key is refused with the list of allowed
 * keys. Keys LiteLLM knows that Claimgate does not implement are reported by {@link #ignoredKeys()} (when they only
 * widen access) or refused (when ignoring them would let through what LiteLLM refuses). The key source comes from
 * LiteLLM's environment variables through {@link #environment(Map)}.
 *
 * @param keySource   the key source stage's settings
 * @param token       the token check stage's settings
 * @param claims      the claim reading stage's settings
 * @param roles       the role resolution stage's settings
 * @param access      the access policy stage's settings
 * @param ignoredKeys the LiteLLM keys that were set but that Claimgate does not act on
 */
public record JwtAuthSettings(KeySourceSettings keySource, TokenRules token, ClaimFields claims, RoleRules roles,
                              AccessRules access, Set<String> ignoredKeys) {

    /** The environment variable with the key source URLs, comma-separated. */
    public static final String ENV_PUBLIC_KEY_URL = "JWT_PUBLIC_KEY_URL";
    /** The environment variable with the accepted audiences, comma-separated. */
    public static final String ENV_AUDIENCE = "JWT_AUDIENCE";
    /** The environment variable with the exact expected issuer. */
    public static final String ENV_ISSUER = "JWT_ISSUER";

    private static final String BLOCK = "litellm_jwtauth";

    /**
     * LiteLLM keys that Claimgate accepts, so that a LiteLLM config reads as-is, but does not act on. Each one only
     * ever widens access in LiteLLM or changes nothing Claimgate decides, so ignoring it cannot let a request through
     * that LiteLLM would refuse: {@code team_id_upsert} would admit unknown teams, {@code oidc_userinfo_*} admits
     * opaque tokens (Claimgate refuses them).
     */
    private static final Set<String> LITELLM_KEYS_IGNORED = Set.of(
            "team_id_upsert", "oidc_userinfo_enabled", "oidc_userinfo_endpoint", "oidc_userinfo_cache_ttl");

    /**
     * LiteLLM keys that narrow access in LiteLLM and that Claimgate does not implement: ignoring one would let
     * through what LiteLLM refuses, so setting one stops the start. The value says what LiteLLM would have enforced.
     */
    private static final Map<String, String> LITELLM_KEYS_REFUSED = Map.of(
            "virtual_key_claim_field", "LiteLLM applies the mapped virtual key's models, budgets and limits",
            "routing_overrides", "LiteLLM sends matching tokens to OAuth2 introspection, which refuses revoked tokens",
            "virtual_key_mapping_cache_ttl", "it belongs to virtual_key_claim_field, LiteLLM's JWT to virtual key "
                    + "mapping, whose keys' models, budgets and limits Claimgate does not apply",
            "unregistered_jwt_client_behavior", "it belongs to virtual_key_claim_field: LiteLLM refuses (reject) or "
                    + "mints a virtual key for (auto_register) a token without a key mapping, and Claimgate has no "
                    + "key mappings; only the default fallback_team_mapping is accepted",
            "auto_register_map_existing_key", "it belongs to unregistered_jwt_client_behavior: auto_register, "
                    + "LiteLLM's binding of tokens to the user's virtual key, whose limits Claimgate does not apply",
            "upsert_sso_user_to_team", "LiteLLM adds users who sign in to its admin UI through SSO to their "
                    + "token's teams; Claimgate has no SSO sign-in, and team members are managed through "
                    + "/team/member_add",
            "agent_id_jwt_field", "LiteLLM refuses (403) a token whose agent claim names no registered agent and "
                    + "attributes the request to that agent; Claimgate has no agent registry");

    /** A refused key set to LiteLLM's own default asks for nothing, as a config written out in full does. */
    private static final Map<String, String> LITELLM_DEFAULT_VALUES = Map.of(
            "unregistered_jwt_client_behavior", "fallback_team_mapping");

    private static final Set<String> LITELLM_KEYS_NOT_IMPLEMENTED = notImplemented();

    /** Every key a stage reads, plus those accepted without being acted on: found by reading an empty block. */
    private static final Set<String> ALLOWED_KEYS = askedKeys();

    public JwtAuthSettings {
        Objects.requireNonNull(keySource, "keySource");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(claims, "claims");
        Objects.requireNonNull(roles, "roles");
        Objects.requireNonNull(access, "access");
        ignoredKeys = Collections.unmodifiableSet(new TreeSet<>(ignoredKeys));
        SettingChecks.require(roles.roleMappings().isEmpty() || claims.rolesJwtField() != null, "role_mappings",
                "needs roles_jwt_field");
        SettingChecks.require(claims.objectIdJwtField() == null || roles.mapsRoles(), "object_id_jwt_field",
                "needs role_mappings or jwt_litellm_role_map to say which object it names");
    }

    /** The settings with every default and no key source; useful in tests. */
    public static JwtAuthSettings defaults() {
        return fromLiteLlm(Map.of());
    }

    /**
     * The settings of a {@code litellm_jwtauth} block as parsed from YAML or JSON, values read as written by
     * {@link ConfigValues}' rules ({@code os.environ/} references are the caller's to resolve, as the gateway's
     * config reader does with {@link ConfigValues#resolved}).
     *
     * @throws SettingsException for an unknown key, with the list of allowed keys, a value of the wrong shape or
     *                           settings that cannot work; its key starts with {@code litellm_jwtauth.}
     */
    public static JwtAuthSettings fromLiteLlm(Map<String, ?> litellmJwtauth) {
        Map<String, ?> raw = litellmJwtauth == null ? Map.of() : litellmJwtauth;
        try {
            Set<String> ignored = new TreeSet<>();
            for (Map.Entry<String, ?> entry : raw.entrySet()) {
                String key = entry.getKey();
                if (!ALLOWED_KEYS.contains(key)) {
                    throw new SettingsException(key, "unknown setting; allowed: " + String.join(", ", ALLOWED_KEYS));
                }
                if (LITELLM_KEYS_REFUSED.containsKey(key) && narrows(entry.getValue())
                        && !LITELLM_DEFAULT_VALUES.getOrDefault(key, "").equals(entry.getValue())) {
                    throw new SettingsException(key, "is not supported by Claimgate and would be silently "
                            + "ignored (" + LITELLM_KEYS_REFUSED.get(key) + "); remove it");
                }
                if (LITELLM_KEYS_IGNORED.contains(key)) {
                    ignored.add(key);
                }
            }
            return read(new SettingsBlock(raw, ConfigValues.literal()), ignored);
        } catch (SettingsException e) {
            throw e.under(BLOCK);
        }
    }

    /** Each stage reads its own keys, with its defaults, from the block. */
    private static JwtAuthSettings read(SettingsBlock block, Set<String> ignored) {
        return new JwtAuthSettings(KeySourceSettings.read(block), TokenRules.read(block), ClaimFields.read(block),
                RoleRules.read(block), AccessRules.read(block), ignored);
    }

    private static Set<String> askedKeys() {
        SettingsBlock empty = new SettingsBlock(Map.of(), ConfigValues.literal());
        read(empty, Set.of());
        Set<String> keys = new TreeSet<>(empty.asked());
        keys.addAll(LITELLM_KEYS_NOT_IMPLEMENTED);
        return Collections.unmodifiableSet(keys);
    }

    /** Whether a refused key's value asks for something: not absent, {@code false}, empty or blank. */
    private static boolean narrows(Object value) {
        return value != null && !Boolean.FALSE.equals(value) && !"false".equalsIgnoreCase(String.valueOf(value))
                && !(value instanceof Collection<?> c && c.isEmpty()) && !(value instanceof Map<?, ?> m && m.isEmpty())
                && !(value instanceof String s && s.isBlank());
    }

    private static Set<String> notImplemented() {
        Set<String> keys = new TreeSet<>(LITELLM_KEYS_IGNORED);
        keys.addAll(LITELLM_KEYS_REFUSED.keySet());
        return Set.copyOf(keys);
    }

    /** Every key {@link #fromLiteLlm(Map)} accepts, sorted. */
    public static Set<String> allowedKeys() {
        return new TreeSet<>(ALLOWED_KEYS);
    }

    /**
     * The LiteLLM keys Claimgate does not implement, sorted: those it accepts with a warning and those it refuses
     * when they ask for something.
     */
    public static Set<String> keysNotImplemented() {
        return new TreeSet<>(LITELLM_KEYS_NOT_IMPLEMENTED);
    }

    /**
     * These settings with the key source from LiteLLM's environment variables: {@value #ENV_PUBLIC_KEY_URL} and
     * {@value #ENV_AUDIENCE} comma-separated, {@value #ENV_ISSUER} as is. Unset variables change nothing.
     */
    public JwtAuthSettings environment(Map<String, String> env) {
        KeySourceSettings keys = env.get(ENV_PUBLIC_KEY_URL) == null ? keySource
                : keySource.withPublicKeyUrls(ConfigValues.commaSeparated(env.get(ENV_PUBLIC_KEY_URL)));
        List<String> audiences = env.get(ENV_AUDIENCE) == null ? token.audiences()
                : ConfigValues.commaSeparated(env.get(ENV_AUDIENCE));
        String issuer = env.get(ENV_ISSUER) == null ? token.issuer() : env.get(ENV_ISSUER).trim();
        return new JwtAuthSettings(keys, token.withIssuerAndAudiences(issuer, audiences), claims, roles, access,
                ignoredKeys);
    }

    /** These settings with another key source. */
    public JwtAuthSettings with(KeySourceSettings newKeySource) {
        return new JwtAuthSettings(newKeySource, token, claims, roles, access, ignoredKeys);
    }

    /** These settings with other access rules. */
    public JwtAuthSettings with(AccessRules newAccess) {
        return new JwtAuthSettings(keySource, token, claims, roles, newAccess, ignoredKeys);
    }
}
