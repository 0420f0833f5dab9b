package io.claimgate.model;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The JWT auth settings: LiteLLM's {@code litellm_jwtauth} block with its names and defaults, the key source
 * ({@code JWT_PUBLIC_KEY_URL}, {@code JWT_AUDIENCE}, {@code JWT_ISSUER}), {@code general_settings.role_permissions},
 * and the few settings Claimgate adds. Immutable; validated when built.
 *
 * <p>Read it from a {@code config.yaml} with {@link #fromLiteLlm(Map)}; every key LiteLLM knows is accepted, an
 * unknown key is refused with the list of allowed keys. The keys LiteLLM knows that Claimgate does not implement are
 * reported by {@link #ignoredKeys()} so that the server can warn about them.
 */
public final class JwtAuthSettings {

    /** The environment variable with the key source URLs, comma-separated. */
    public static final String ENV_PUBLIC_KEY_URL = "JWT_PUBLIC_KEY_URL";
    /** The environment variable with the accepted audiences, comma-separated. */
    public static final String ENV_AUDIENCE = "JWT_AUDIENCE";
    /** The environment variable with the exact expected issuer. */
    public static final String ENV_ISSUER = "JWT_ISSUER";

    public static final List<String> DEFAULT_ADMIN_ALLOWED_ROUTES =
            List.of("management_routes", "spend_tracking_routes", "global_spend_tracking_routes", "info_routes");
    public static final List<String> DEFAULT_TEAM_ALLOWED_ROUTES = List.of("openai_routes", "info_routes", "mcp_routes");
    public static final List<String> DEFAULT_PUBLIC_ALLOWED_ROUTES = List.of("public_routes");
    public static final List<String> DEFAULT_ACCEPTED_TOKEN_TYPES = List.of("Bearer");
    public static final Duration DEFAULT_PUBLIC_KEY_TTL = Duration.ofSeconds(600);
    public static final Duration DEFAULT_PUBLIC_KEY_STALE_TTL = Duration.ofHours(1);
    public static final int DEFAULT_MAX_TOKEN_LENGTH = 16 * 1024;

    /**
     * LiteLLM keys that Claimgate accepts, so that a LiteLLM config reads as-is, but does not act on. Each one only
     * ever widens access in LiteLLM or changes nothing Claimgate decides, so ignoring it cannot let a request through
     * that LiteLLM would refuse: {@code team_id_upsert} and {@code team_claim_fallback} would admit unknown teams,
     * {@code oidc_userinfo_*} admits opaque tokens (Claimgate refuses them), {@code sync_user_role_and_teams} only
     * writes LiteLLM's tables.
     */
    private static final Set<String> LITELLM_KEYS_IGNORED = Set.of(
            "team_id_upsert", "sync_user_role_and_teams", "oidc_userinfo_enabled", "oidc_userinfo_endpoint",
            "oidc_userinfo_cache_ttl", "team_claim_fallback");

    /**
     * LiteLLM keys that narrow access in LiteLLM and that Claimgate does not implement: ignoring one would let
     * through what LiteLLM refuses, so setting one stops the start. The value says what LiteLLM would have enforced.
     */
    private static final Map<String, String> LITELLM_KEYS_REFUSED = Map.of(
            "virtual_key_claim_field", "LiteLLM applies the mapped virtual key's models, budgets and limits",
            "routing_overrides", "LiteLLM sends matching tokens to OAuth2 introspection, which refuses revoked tokens",
            "issuers", "LiteLLM checks each issuer's audience and claim mapping; use JWT_PUBLIC_KEY_URL, JWT_ISSUER "
                    + "and JWT_AUDIENCE instead",
            "fallback_to_db_teams", "LiteLLM attributes such tokens to the user's database teams, whose models, "
                    + "budgets and blocks apply");

    private static final Set<String> LITELLM_KEYS_NOT_IMPLEMENTED = notImplemented();

    private static final Map<String, BiConsumer<Builder, Object>> KEYS = keys();

    private final String adminJwtScope;
    private final List<String> adminAllowedRoutes;
    private final String teamIdJwtField;
    private final String teamIdsJwtField;
    private final String teamIdDefault;
    private final String teamAliasJwtField;
    private final List<String> teamAllowedRoutes;
    private final String orgIdJwtField;
    private final String orgAliasJwtField;
    private final String userIdJwtField;
    private final String userEmailJwtField;
    private final String userAllowedEmailDomain;
    private final String userRolesJwtField;
    private final List<String> userAllowedRoles;
    private final boolean userIdUpsert;
    private final String endUserIdJwtField;
    private final List<String> publicAllowedRoutes;
    private final boolean enforceRbac;
    private final String rolesJwtField;
    private final List<RoleMapping> roleMappings;
    private final String objectIdJwtField;
    private final List<ScopeMapping> scopeMappings;
    private final boolean enforceScopeBasedAccess;
    private final boolean enforceTeamBasedModelAccess;
    private final String customValidate;
    private final List<JwtRoleMapping> jwtLitellmRoleMap;
    private final List<RolePermission> rolePermissions;
    private final boolean trustUnverifiedEmail;
    private final Duration publicKeyTtl;
    private final Duration publicKeyStaleTtl;
    private final Duration leeway;
    private final List<String> acceptedTokenTypes;
    private final int maxTokenLength;
    private final List<String> publicKeyUrls;
    private final List<String> audiences;
    private final String issuer;
    private final Set<String> ignoredKeys;

    private JwtAuthSettings(Builder b) {
        adminJwtScope = b.adminJwtScope;
        adminAllowedRoutes = List.copyOf(b.adminAllowedRoutes);
        teamIdJwtField = b.teamIdJwtField;
        teamIdsJwtField = b.teamIdsJwtField;
        teamIdDefault = b.teamIdDefault;
        teamAliasJwtField = b.teamAliasJwtField;
        teamAllowedRoutes = List.copyOf(b.teamAllowedRoutes);
        orgIdJwtField = b.orgIdJwtField;
        orgAliasJwtField = b.orgAliasJwtField;
        userIdJwtField = b.userIdJwtField;
        userEmailJwtField = b.userEmailJwtField;
        userAllowedEmailDomain = b.userAllowedEmailDomain;
        userRolesJwtField = b.userRolesJwtField;
        userAllowedRoles = b.userAllowedRoles == null ? null : List.copyOf(b.userAllowedRoles);
        userIdUpsert = b.userIdUpsert;
        endUserIdJwtField = b.endUserIdJwtField;
        publicAllowedRoutes = List.copyOf(b.publicAllowedRoutes);
        enforceRbac = b.enforceRbac;
        rolesJwtField = b.rolesJwtField;
        roleMappings = List.copyOf(b.roleMappings);
        objectIdJwtField = b.objectIdJwtField;
        scopeMappings = List.copyOf(b.scopeMappings);
        enforceScopeBasedAccess = b.enforceScopeBasedAccess;
        enforceTeamBasedModelAccess = b.enforceTeamBasedModelAccess;
        customValidate = b.customValidate;
        jwtLitellmRoleMap = List.copyOf(b.jwtLitellmRoleMap);
        rolePermissions = List.copyOf(b.rolePermissions);
        trustUnverifiedEmail = b.trustUnverifiedEmail;
        publicKeyTtl = b.publicKeyTtl;
        publicKeyStaleTtl = b.publicKeyStaleTtl;
        leeway = b.leeway;
        acceptedTokenTypes = List.copyOf(b.acceptedTokenTypes);
        maxTokenLength = b.maxTokenLength;
        publicKeyUrls = List.copyOf(b.publicKeyUrls);
        audiences = List.copyOf(b.audiences);
        issuer = b.issuer;
        ignoredKeys = Set.copyOf(b.ignoredKeys);
    }

    /** A builder with every default in place. */
    public static Builder builder() {
        return new Builder();
    }

    /** The settings with every default and no key source; useful in tests. */
    public static JwtAuthSettings defaults() {
        return builder().build();
    }

    /**
     * A builder filled from a {@code litellm_jwtauth} block as parsed from YAML or JSON: LiteLLM's keys and value
     * shapes. Values are checked as they are read; {@link Builder#build()} checks what spans several keys.
     *
     * @throws SettingsException for an unknown key, with the list of allowed keys, or a value of the wrong shape
     */
    public static Builder fromLiteLlm(Map<String, ?> litellmJwtauth) {
        Builder builder = builder();
        if (litellmJwtauth == null) {
            return builder;
        }
        for (Map.Entry<String, ?> entry : litellmJwtauth.entrySet()) {
            String key = entry.getKey();
            BiConsumer<Builder, Object> setter = KEYS.get(key);
            if (setter == null) {
                throw new SettingsException("litellm_jwtauth." + key,
                        "unknown setting; allowed: " + String.join(", ", allowedKeys()));
            }
            if (LITELLM_KEYS_REFUSED.containsKey(key) && narrows(entry.getValue())) {
                throw new SettingsException("litellm_jwtauth." + key, "is not supported by Claimgate and would be "
                        + "silently ignored (" + LITELLM_KEYS_REFUSED.get(key) + "); remove it");
            }
            if (LITELLM_KEYS_IGNORED.contains(key)) {
                builder.ignoredKeys.add(key);
            }
            if (entry.getValue() != null) {
                setter.accept(builder, entry.getValue());
            }
        }
        return builder;
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
        return new TreeSet<>(KEYS.keySet());
    }

    /**
     * The LiteLLM keys Claimgate does not implement, sorted: those it accepts with a warning and those it refuses
     * when they ask for something.
     */
    public static Set<String> keysNotImplemented() {
        return new TreeSet<>(LITELLM_KEYS_NOT_IMPLEMENTED);
    }

    private static Map<String, BiConsumer<Builder, Object>> keys() {
        Map<String, BiConsumer<Builder, Object>> k = new LinkedHashMap<>();
        k.put("admin_jwt_scope", (b, v) -> b.adminJwtScope(string("admin_jwt_scope", v)));
        k.put("admin_allowed_routes", (b, v) -> b.adminAllowedRoutes(strings("admin_allowed_routes", v)));
        k.put("team_id_jwt_field", (b, v) -> b.teamIdJwtField(string("team_id_jwt_field", v)));
        k.put("team_ids_jwt_field", (b, v) -> b.teamIdsJwtField(string("team_ids_jwt_field", v)));
        k.put("team_id_default", (b, v) -> b.teamIdDefault(string("team_id_default", v)));
        k.put("team_alias_jwt_field", (b, v) -> b.teamAliasJwtField(string("team_alias_jwt_field", v)));
        k.put("team_allowed_routes", (b, v) -> b.teamAllowedRoutes(strings("team_allowed_routes", v)));
        k.put("org_id_jwt_field", (b, v) -> b.orgIdJwtField(string("org_id_jwt_field", v)));
        k.put("org_alias_jwt_field", (b, v) -> b.orgAliasJwtField(string("org_alias_jwt_field", v)));
        k.put("user_id_jwt_field", (b, v) -> b.userIdJwtField(string("user_id_jwt_field", v)));
        k.put("user_email_jwt_field", (b, v) -> b.userEmailJwtField(string("user_email_jwt_field", v)));
        k.put("user_allowed_email_domain", (b, v) -> b.userAllowedEmailDomain(string("user_allowed_email_domain", v)));
        k.put("user_roles_jwt_field", (b, v) -> b.userRolesJwtField(string("user_roles_jwt_field", v)));
        k.put("user_allowed_roles", (b, v) -> b.userAllowedRoles(strings("user_allowed_roles", v)));
        k.put("user_id_upsert", (b, v) -> b.userIdUpsert(bool("user_id_upsert", v)));
        k.put("end_user_id_jwt_field", (b, v) -> b.endUserIdJwtField(string("end_user_id_jwt_field", v)));
        k.put("public_key_ttl", (b, v) -> b.publicKeyTtl(seconds("public_key_ttl", v)));
        k.put("public_key_stale_ttl", (b, v) -> b.publicKeyStaleTtl(seconds("public_key_stale_ttl", v)));
        k.put("public_allowed_routes", (b, v) -> b.publicAllowedRoutes(strings("public_allowed_routes", v)));
        k.put("enforce_rbac", (b, v) -> b.enforceRbac(bool("enforce_rbac", v)));
        k.put("roles_jwt_field", (b, v) -> b.rolesJwtField(string("roles_jwt_field", v)));
        k.put("role_mappings", (b, v) -> b.roleMappings(entries("role_mappings", v, m -> new RoleMapping(
                requiredString("role_mappings.role", m.get("role")),
                role("role_mappings.internal_role", m.get("internal_role"))))));
        k.put("object_id_jwt_field", (b, v) -> b.objectIdJwtField(string("object_id_jwt_field", v)));
        k.put("scope_mappings", (b, v) -> b.scopeMappings(entries("scope_mappings", v, m -> new ScopeMapping(
                requiredString("scope_mappings.scope", m.get("scope")),
                m.get("models") == null ? List.of() : strings("scope_mappings.models", m.get("models")),
                m.get("routes") == null ? List.of() : strings("scope_mappings.routes", m.get("routes"))))));
        k.put("enforce_scope_based_access", (b, v) -> b.enforceScopeBasedAccess(bool("enforce_scope_based_access", v)));
        k.put("enforce_team_based_model_access",
                (b, v) -> b.enforceTeamBasedModelAccess(bool("enforce_team_based_model_access", v)));
        k.put("custom_validate", (b, v) -> b.customValidate(string("custom_validate", v)));
        k.put("jwt_litellm_role_map", (b, v) -> b.jwtLitellmRoleMap(entries("jwt_litellm_role_map", v,
                m -> new JwtRoleMapping(requiredString("jwt_litellm_role_map.jwt_role", m.get("jwt_role")),
                        role("jwt_litellm_role_map.litellm_role", m.get("litellm_role"))))));
        k.put("trust_unverified_email", (b, v) -> b.trustUnverifiedEmail(bool("trust_unverified_email", v)));
        k.put("leeway", (b, v) -> b.leeway(seconds("leeway", v)));
        k.put("accepted_token_types", (b, v) -> b.acceptedTokenTypes(strings("accepted_token_types", v)));
        k.put("max_token_length", (b, v) -> b.maxTokenLength(integer("max_token_length", v)));
        for (String key : LITELLM_KEYS_NOT_IMPLEMENTED) {
            k.putIfAbsent(key, (b, v) -> { });
        }
        return Map.copyOf(k);
    }

    // ---- value readers: one place that turns YAML shapes into typed values ----

    private static String string(String key, Object value) {
        if (value instanceof String s) {
            return s.isBlank() ? null : s;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        throw new SettingsException(key, "expected a string, got " + describe(value));
    }

    private static String requiredString(String key, Object value) {
        String s = value == null ? null : string(key, value);
        if (s == null) {
            throw new SettingsException(key, "is required");
        }
        return s;
    }

    private static boolean bool(String key, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        throw new SettingsException(key, "expected true or false, got " + describe(value));
    }

    private static int integer(String key, Object value) {
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.intValue();
        }
        if (value instanceof String s) {
            try {
                return Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new SettingsException(key, "expected a whole number, got " + describe(value));
    }

    private static Duration seconds(String key, Object value) {
        double s;
        if (value instanceof Number n) {
            s = n.doubleValue();
        } else if (value instanceof String str) {
            try {
                s = Double.parseDouble(str.trim());
            } catch (NumberFormatException e) {
                throw new SettingsException(key, "expected a number of seconds, got " + describe(value));
            }
        } else {
            throw new SettingsException(key, "expected a number of seconds, got " + describe(value));
        }
        if (!Double.isFinite(s) || s < 0) {
            throw new SettingsException(key, "must be a number of seconds >= 0, got " + value);
        }
        return Duration.ofMillis(Math.round(s * 1000));
    }

    private static List<String> strings(String key, Object value) {
        if (value instanceof String s) {
            return List.of(s);
        }
        if (value instanceof Collection<?> c) {
            List<String> out = new ArrayList<>(c.size());
            for (Object o : c) {
                out.add(requiredString(key, o));
            }
            return out;
        }
        throw new SettingsException(key, "expected a list of strings, got " + describe(value));
    }

    private static <T> List<T> entries(String key, Object value, Function<Map<?, ?>, T> reader) {
        if (!(value instanceof Collection<?> c)) {
            throw new SettingsException(key, "expected a list of mappings, got " + describe(value));
        }
        List<T> out = new ArrayList<>(c.size());
        for (Object o : c) {
            if (!(o instanceof Map<?, ?> m)) {
                throw new SettingsException(key, "expected a mapping, got " + describe(o));
            }
            out.add(reader.apply(m));
        }
        return out;
    }

    private static ProxyRole role(String key, Object value) {
        String wire = requiredString(key, value);
        return ProxyRole.fromWireValue(wire).orElseThrow(() -> new SettingsException(key,
                "unknown role '" + wire + "'; allowed: " + roleNames()));
    }

    private static String roleNames() {
        List<String> names = new ArrayList<>();
        for (ProxyRole r : ProxyRole.values()) {
            names.add(r.wireValue());
        }
        return String.join(", ", names);
    }

    private static String describe(Object value) {
        return value == null ? "nothing" : value.getClass().getSimpleName().toLowerCase() + " '" + value + "'";
    }

    private static List<String> commaSeparated(String value) {
        List<String> out = new ArrayList<>();
        if (value != null) {
            for (String part : value.split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    // ---- accessors ----

    /** {@code admin_jwt_scope}: the scope that makes a caller a proxy admin. Default {@code litellm_proxy_admin}. */
    public String adminJwtScope() {
        return adminJwtScope;
    }

    /** {@code admin_allowed_routes}: routes or route groups a proxy admin may call. */
    public List<String> adminAllowedRoutes() {
        return adminAllowedRoutes;
    }

    /** {@code team_id_jwt_field}: claim path of the team id; when set, a team is required. */
    public String teamIdJwtField() {
        return teamIdJwtField;
    }

    /** {@code team_ids_jwt_field}: claim path of the list of team ids. */
    public String teamIdsJwtField() {
        return teamIdsJwtField;
    }

    /** {@code team_id_default}: the team of a token that names none. */
    public String teamIdDefault() {
        return teamIdDefault;
    }

    /** {@code team_alias_jwt_field}: claim path of a team alias, looked up in the database. */
    public String teamAliasJwtField() {
        return teamAliasJwtField;
    }

    /** {@code team_allowed_routes}: routes or route groups a team token may call. */
    public List<String> teamAllowedRoutes() {
        return teamAllowedRoutes;
    }

    /** {@code org_id_jwt_field}: claim path of the organization id. */
    public String orgIdJwtField() {
        return orgIdJwtField;
    }

    /** {@code org_alias_jwt_field}: claim path of an organization alias. */
    public String orgAliasJwtField() {
        return orgAliasJwtField;
    }

    /** {@code user_id_jwt_field}: claim path of the user id. */
    public String userIdJwtField() {
        return userIdJwtField;
    }

    /** {@code user_email_jwt_field}: claim path of the user's e-mail. */
    public String userEmailJwtField() {
        return userEmailJwtField;
    }

    /** {@code user_allowed_email_domain}: when set, only e-mails in this exact domain are let in. */
    public String userAllowedEmailDomain() {
        return userAllowedEmailDomain;
    }

    /** {@code user_roles_jwt_field}: claim path of the user's roles, matched against {@link #userAllowedRoles()}. */
    public String userRolesJwtField() {
        return userRolesJwtField;
    }

    /** {@code user_allowed_roles}: token roles that make a caller an internal user; {@code null} when unset. */
    public List<String> userAllowedRoles() {
        return userAllowedRoles;
    }

    /** {@code user_id_upsert}: create a user row on first sight. Default false. */
    public boolean userIdUpsert() {
        return userIdUpsert;
    }

    /** {@code end_user_id_jwt_field}: claim path of the end user (LiteLLM's customer). */
    public String endUserIdJwtField() {
        return endUserIdJwtField;
    }

    /** {@code public_allowed_routes}: routes anyone may call without a token. */
    public List<String> publicAllowedRoutes() {
        return publicAllowedRoutes;
    }

    /** {@code enforce_rbac}: refuse tokens without a role and apply {@link #rolePermissions()}. Default false. */
    public boolean enforceRbac() {
        return enforceRbac;
    }

    /** {@code roles_jwt_field}: claim path of the roles that {@link #roleMappings()} and the role map read. */
    public String rolesJwtField() {
        return rolesJwtField;
    }

    /** {@code role_mappings}: token role to proxy role, first match wins. */
    public List<RoleMapping> roleMappings() {
        return roleMappings;
    }

    /** {@code object_id_jwt_field}: claim path of the id that a mapped role's object takes (team or user id). */
    public String objectIdJwtField() {
        return objectIdJwtField;
    }

    /** {@code scope_mappings}: what each scope allows under {@link #enforceScopeBasedAccess()}. */
    public List<ScopeMapping> scopeMappings() {
        return scopeMappings;
    }

    /** {@code enforce_scope_based_access}: limit models and routes to those the token's scopes map to. */
    public boolean enforceScopeBasedAccess() {
        return enforceScopeBasedAccess;
    }

    /** {@code enforce_team_based_model_access}: a request for a model must go through a team that has it. */
    public boolean enforceTeamBasedModelAccess() {
        return enforceTeamBasedModelAccess;
    }

    /** {@code custom_validate}: the name of a custom validator; Claimgate takes a Java implementation instead. */
    public String customValidate() {
        return customValidate;
    }

    /** {@code jwt_litellm_role_map}: glob over token roles to proxy role, first match wins. */
    public List<JwtRoleMapping> jwtLitellmRoleMap() {
        return jwtLitellmRoleMap;
    }

    /** {@code general_settings.role_permissions}: what each role may call under {@link #enforceRbac()}. */
    public List<RolePermission> rolePermissions() {
        return rolePermissions;
    }

    /**
     * Claimgate's {@code trust_unverified_email}: match users by e-mail, fall back to the e-mail as user id and check
     * {@code user_allowed_email_domain} even when the token's {@code email_verified} is not true, as LiteLLM does.
     * Default false: an e-mail the identity provider has not verified identifies nobody.
     */
    public boolean trustUnverifiedEmail() {
        return trustUnverifiedEmail;
    }

    /** {@code public_key_ttl}: how long fetched keys are used before they are fetched again. Default 600 s. */
    public Duration publicKeyTtl() {
        return publicKeyTtl;
    }

    /** {@code public_key_stale_ttl}: how long past their TTL keys still verify while the source is down. 1 h. */
    public Duration publicKeyStaleTtl() {
        return publicKeyStaleTtl;
    }

    /** {@code leeway}: clock skew allowed on {@code exp} and {@code nbf}. Default 0, as LiteLLM. */
    public Duration leeway() {
        return leeway;
    }

    /** Claimgate's {@code accepted_token_types}: allowed values of the {@code typ} claim. Default {@code Bearer}. */
    public List<String> acceptedTokenTypes() {
        return acceptedTokenTypes;
    }

    /** Claimgate's {@code max_token_length}: longer tokens are refused before parsing. Default 16384. */
    public int maxTokenLength() {
        return maxTokenLength;
    }

    /** {@code JWT_PUBLIC_KEY_URL}: JWKS or OpenID discovery URLs, tried in order. */
    public List<String> publicKeyUrls() {
        return publicKeyUrls;
    }

    /** {@code JWT_AUDIENCE}: accepted audiences; empty means the audience is not checked. */
    public List<String> audiences() {
        return audiences;
    }

    /** {@code JWT_ISSUER}: the exact expected issuer, or {@code null} for not checked. */
    public String issuer() {
        return issuer;
    }

    /** The LiteLLM keys that were set but that Claimgate does not act on. */
    public Set<String> ignoredKeys() {
        return ignoredKeys;
    }

    /** A builder holding these settings, to change a few. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.adminJwtScope = adminJwtScope;
        b.adminAllowedRoutes = adminAllowedRoutes;
        b.teamIdJwtField = teamIdJwtField;
        b.teamIdsJwtField = teamIdsJwtField;
        b.teamIdDefault = teamIdDefault;
        b.teamAliasJwtField = teamAliasJwtField;
        b.teamAllowedRoutes = teamAllowedRoutes;
        b.orgIdJwtField = orgIdJwtField;
        b.orgAliasJwtField = orgAliasJwtField;
        b.userIdJwtField = userIdJwtField;
        b.userEmailJwtField = userEmailJwtField;
        b.userAllowedEmailDomain = userAllowedEmailDomain;
        b.userRolesJwtField = userRolesJwtField;
        b.userAllowedRoles = userAllowedRoles;
        b.userIdUpsert = userIdUpsert;
        b.endUserIdJwtField = endUserIdJwtField;
        b.publicAllowedRoutes = publicAllowedRoutes;
        b.enforceRbac = enforceRbac;
        b.rolesJwtField = rolesJwtField;
        b.roleMappings = roleMappings;
        b.objectIdJwtField = objectIdJwtField;
        b.scopeMappings = scopeMappings;
        b.enforceScopeBasedAccess = enforceScopeBasedAccess;
        b.enforceTeamBasedModelAccess = enforceTeamBasedModelAccess;
        b.customValidate = customValidate;
        b.jwtLitellmRoleMap = jwtLitellmRoleMap;
        b.rolePermissions = rolePermissions;
        b.trustUnverifiedEmail = trustUnverifiedEmail;
        b.publicKeyTtl = publicKeyTtl;
        b.publicKeyStaleTtl = publicKeyStaleTtl;
        b.leeway = leeway;
        b.acceptedTokenTypes = acceptedTokenTypes;
        b.maxTokenLength = maxTokenLength;
        b.publicKeyUrls = publicKeyUrls;
        b.audiences = audiences;
        b.issuer = issuer;
        b.ignoredKeys.addAll(ignoredKeys);
        return b;
    }

    /** Collects settings; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder {
        private String adminJwtScope = ClaimNames.DEFAULT_ADMIN_SCOPE;
        private List<String> adminAllowedRoutes = DEFAULT_ADMIN_ALLOWED_ROUTES;
        private String teamIdJwtField;
        private String teamIdsJwtField;
        private String teamIdDefault;
        private String teamAliasJwtField;
        private List<String> teamAllowedRoutes = DEFAULT_TEAM_ALLOWED_ROUTES;
        private String orgIdJwtField;
        private String orgAliasJwtField;
        private String userIdJwtField;
        private String userEmailJwtField;
        private String userAllowedEmailDomain;
        private String userRolesJwtField;
        private List<String> userAllowedRoles;
        private boolean userIdUpsert;
        private String endUserIdJwtField;
        private List<String> publicAllowedRoutes = DEFAULT_PUBLIC_ALLOWED_ROUTES;
        private boolean enforceRbac;
        private String rolesJwtField;
        private List<RoleMapping> roleMappings = List.of();
        private String objectIdJwtField;
        private List<ScopeMapping> scopeMappings = List.of();
        private boolean enforceScopeBasedAccess;
        private boolean enforceTeamBasedModelAccess;
        private String customValidate;
        private List<JwtRoleMapping> jwtLitellmRoleMap = List.of();
        private List<RolePermission> rolePermissions = List.of();
        private boolean trustUnverifiedEmail;
        private Duration publicKeyTtl = DEFAULT_PUBLIC_KEY_TTL;
        private Duration publicKeyStaleTtl = DEFAULT_PUBLIC_KEY_STALE_TTL;
        private Duration leeway = Duration.ZERO;
        private List<String> acceptedTokenTypes = DEFAULT_ACCEPTED_TOKEN_TYPES;
        private int maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH;
        private List<String> publicKeyUrls = List.of();
        private List<String> audiences = List.of();
        private String issuer;
        private final Set<String> ignoredKeys = new TreeSet<>();

        private Builder() {
        }

        public Builder adminJwtScope(String v) { adminJwtScope = v; return this; }
        public Builder adminAllowedRoutes(List<String> v) { adminAllowedRoutes = v; return this; }
        public Builder teamIdJwtField(String v) { teamIdJwtField = v; return this; }
        public Builder teamIdsJwtField(String v) { teamIdsJwtField = v; return this; }
        public Builder teamIdDefault(String v) { teamIdDefault = v; return this; }
        public Builder teamAliasJwtField(String v) { teamAliasJwtField = v; return this; }
        public Builder teamAllowedRoutes(List<String> v) { teamAllowedRoutes = v; return this; }
        public Builder orgIdJwtField(String v) { orgIdJwtField = v; return this; }
        public Builder orgAliasJwtField(String v) { orgAliasJwtField = v; return this; }
        public Builder userIdJwtField(String v) { userIdJwtField = v; return this; }
        public Builder userEmailJwtField(String v) { userEmailJwtField = v; return this; }
        public Builder userAllowedEmailDomain(String v) { userAllowedEmailDomain = v; return this; }
        public Builder userRolesJwtField(String v) { userRolesJwtField = v; return this; }
        public Builder userAllowedRoles(List<String> v) { userAllowedRoles = v; return this; }
        public Builder userIdUpsert(boolean v) { userIdUpsert = v; return this; }
        public Builder endUserIdJwtField(String v) { endUserIdJwtField = v; return this; }
        public Builder publicAllowedRoutes(List<String> v) { publicAllowedRoutes = v; return this; }
        public Builder enforceRbac(boolean v) { enforceRbac = v; return this; }
        public Builder rolesJwtField(String v) { rolesJwtField = v; return this; }
        public Builder roleMappings(List<RoleMapping> v) { roleMappings = v; return this; }
        public Builder objectIdJwtField(String v) { objectIdJwtField = v; return this; }
        public Builder scopeMappings(List<ScopeMapping> v) { scopeMappings = v; return this; }
        public Builder enforceScopeBasedAccess(boolean v) { enforceScopeBasedAccess = v; return this; }
        public Builder enforceTeamBasedModelAccess(boolean v) { enforceTeamBasedModelAccess = v; return this; }
        public Builder customValidate(String v) { customValidate = v; return this; }
        public Builder jwtLitellmRoleMap(List<JwtRoleMapping> v) { jwtLitellmRoleMap = v; return this; }
        public Builder rolePermissions(List<RolePermission> v) { rolePermissions = v; return this; }
        public Builder trustUnverifiedEmail(boolean v) { trustUnverifiedEmail = v; return this; }
        public Builder publicKeyTtl(Duration v) { publicKeyTtl = v; return this; }
        public Builder publicKeyStaleTtl(Duration v) { publicKeyStaleTtl = v; return this; }
        public Builder leeway(Duration v) { leeway = v; return this; }
        public Builder acceptedTokenTypes(List<String> v) { acceptedTokenTypes = v; return this; }
        public Builder maxTokenLength(int v) { maxTokenLength = v; return this; }
        public Builder publicKeyUrls(List<String> v) { publicKeyUrls = v; return this; }
        public Builder audiences(List<String> v) { audiences = v; return this; }
        public Builder issuer(String v) { issuer = v == null || v.isBlank() ? null : v; return this; }

        /**
         * Takes the key source from LiteLLM's environment variables: {@value #ENV_PUBLIC_KEY_URL} and
         * {@value #ENV_AUDIENCE} comma-separated, {@value #ENV_ISSUER} as is. Unset variables change nothing.
         */
        public Builder environment(Map<String, String> env) {
            if (env.get(ENV_PUBLIC_KEY_URL) != null) {
                publicKeyUrls = commaSeparated(env.get(ENV_PUBLIC_KEY_URL));
            }
            if (env.get(ENV_AUDIENCE) != null) {
                audiences = commaSeparated(env.get(ENV_AUDIENCE));
            }
            if (env.get(ENV_ISSUER) != null) {
                issuer(env.get(ENV_ISSUER).trim());
            }
            return this;
        }

        /**
         * Validates and freezes the settings.
         *
         * @throws SettingsException naming the first setting that cannot work
         */
        public JwtAuthSettings build() {
            require(adminJwtScope != null && !adminJwtScope.isBlank(), "admin_jwt_scope", "must not be empty");
            requireList(adminAllowedRoutes, "admin_allowed_routes");
            requireList(teamAllowedRoutes, "team_allowed_routes");
            requireList(publicAllowedRoutes, "public_allowed_routes");
            requireList(acceptedTokenTypes, "accepted_token_types");
            require(acceptedTokenTypes != null && !acceptedTokenTypes.isEmpty(), "accepted_token_types",
                    "must name at least one token type, e.g. Bearer");
            require(publicKeyTtl != null && !publicKeyTtl.isNegative() && !publicKeyTtl.isZero(), "public_key_ttl",
                    "must be more than 0 seconds");
            require(publicKeyStaleTtl != null && !publicKeyStaleTtl.isNegative(), "public_key_stale_ttl",
                    "must be 0 seconds or more");
            require(leeway != null && !leeway.isNegative() && leeway.compareTo(Duration.ofMinutes(5)) <= 0, "leeway",
                    "must be between 0 and 300 seconds");
            require(maxTokenLength >= 512 && maxTokenLength <= 1024 * 1024, "max_token_length",
                    "must be between 512 and 1048576 characters");
            require(userAllowedEmailDomain == null || !userAllowedEmailDomain.contains("@"),
                    "user_allowed_email_domain", "is a domain such as example.com, without '@'");
            require(objectIdJwtField == null || !roleMappings.isEmpty() || !jwtLitellmRoleMap.isEmpty(),
                    "object_id_jwt_field", "needs role_mappings or jwt_litellm_role_map to say which object it names");
            require(!enforceScopeBasedAccess || !scopeMappings.isEmpty(), "enforce_scope_based_access",
                    "needs scope_mappings, or every request would be refused");
            require(roleMappings.isEmpty() || rolesJwtField != null, "role_mappings", "needs roles_jwt_field");
            Objects.requireNonNull(publicKeyUrls, "publicKeyUrls");
            Objects.requireNonNull(audiences, "audiences");
            for (String url : publicKeyUrls) {
                require(url.startsWith("https://") || url.startsWith("http://"), ENV_PUBLIC_KEY_URL,
                        "'" + url + "' is not an http(s) URL");
            }
            return new JwtAuthSettings(this);
        }

        private static void require(boolean condition, String key, String message) {
            if (!condition) {
                throw new SettingsException(key, message);
            }
        }

        private static void requireList(List<String> list, String key) {
            require(list != null, key, "must be a list (use [] for none)");
            for (String s : list) {
                require(s != null && !s.isBlank(), key, "must not contain empty entries");
            }
        }
    }
}
