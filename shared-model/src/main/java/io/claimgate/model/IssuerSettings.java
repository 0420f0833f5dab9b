package io.claimgate.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of LiteLLM's {@code issuers} list: a token whose {@code iss} is exactly {@link #issuer()} is verified
 * only with this issuer's keys, checked against its audience and read with its claim fields.
 *
 * @param issuer                    {@code issuer}: the exact {@code iss} (no normalisation: a trailing slash is
 *                                  another issuer)
 * @param audiences                 {@code audience}: one audience or a list; required unless
 *                                  {@code disable_audience_validation} is true
 * @param audienceValidationDisabled {@code disable_audience_validation}: accept any audience; LiteLLM asks for it
 *                                  explicitly so that a forgotten audience never turns the check off
 * @param jwksUrl                   {@code jwks_url}: the JWKS or discovery URL, or {@code null} for the issuer's
 *                                  discovery document
 * @param claimFields               the entry's {@code *_jwt_field} keys by LiteLLM name; the global field applies to
 *                                  a key the entry does not set
 */
public record IssuerSettings(String issuer, List<String> audiences, boolean audienceValidationDisabled,
                             String jwksUrl, Map<String, String> claimFields) {

    static final String KEY = "issuers";

    /** The claim paths an entry may set: LiteLLM's six, and the other paths of {@link ClaimFields}. */
    public static final List<String> CLAIM_FIELD_KEYS = List.of("user_id_jwt_field", "user_email_jwt_field",
            "team_id_jwt_field", "team_ids_jwt_field", "org_id_jwt_field", "end_user_id_jwt_field",
            "team_alias_jwt_field", "org_alias_jwt_field", "user_roles_jwt_field", "roles_jwt_field",
            "object_id_jwt_field");

    private static final List<String> FIELDS = fields();

    /** Longer issuers are not URLs an IdP writes; refusing them keeps a made-up {@code iss} cheap to reject. */
    public static final int MAX_ISSUER_LENGTH = 1024;

    public IssuerSettings {
        SettingChecks.require(issuer != null && !issuer.isBlank(), KEY + ".issuer", "is required");
        SettingChecks.require(issuer.length() <= MAX_ISSUER_LENGTH && issuer.equals(issuer.strip()),
                KEY + ".issuer", "'" + issuer + "' must be at most " + MAX_ISSUER_LENGTH
                        + " characters without surrounding spaces");
        audiences = SettingChecks.requireList(audiences, KEY + ".audience");
        SettingChecks.require(!audiences.isEmpty() || audienceValidationDisabled, KEY + ".audience",
                "is required for issuer '" + issuer + "'; set disable_audience_validation: true to accept any "
                        + "audience");
        SettingChecks.require(jwksUrl == null || isHttp(jwksUrl), KEY + ".jwks_url",
                "'" + jwksUrl + "' is not an http(s) URL");
        SettingChecks.require(jwksUrl != null || isHttp(issuer), KEY + ".jwks_url",
                "is required for issuer '" + issuer + "', which is not an http(s) URL to discover keys from");
        claimFields = Map.copyOf(Objects.requireNonNull(claimFields, "claimFields"));
        for (String key : claimFields.keySet()) {
            SettingChecks.require(CLAIM_FIELD_KEYS.contains(key), KEY + "." + key, "unknown key; allowed: "
                    + String.join(", ", FIELDS));
        }
    }

    /**
     * Where this issuer's keys are: {@code jwks_url}, else the issuer's OpenID discovery document, as LiteLLM
     * derives it ({@code issuer} without a trailing slash, then {@code /.well-known/openid-configuration}).
     */
    public String keyUrl() {
        if (jwksUrl != null) {
            return jwksUrl;
        }
        String base = issuer;
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + "/.well-known/openid-configuration";
    }

    /** The token rules for this issuer's tokens: the global lifetime and type rules, its own issuer and audience. */
    public TokenRules tokenRules(TokenRules global) {
        return global.withIssuerAndAudiences(issuer, audiences);
    }

    /** The global key source settings (TTLs, stale window) over this issuer's URL. */
    public KeySourceSettings keySource(KeySourceSettings global) {
        return new KeySourceSettings(List.of(keyUrl()), global.publicKeyTtl(), global.publicKeyStaleTtl());
    }

    /** The global claim fields with this entry's fields in place of theirs. */
    public ClaimFields claims(ClaimFields global) {
        return global.withPaths(claimFields);
    }

    /** Reads the list; {@code null} or empty is no issuer. Refuses unknown keys and issuers listed twice. */
    static List<IssuerSettings> readAll(SettingsBlock block) {
        List<IssuerSettings> issuers = block.entries(KEY, IssuerSettings::read);
        Set<String> seen = new HashSet<>();
        for (IssuerSettings entry : issuers) {
            SettingChecks.require(seen.add(entry.issuer()), KEY + ".issuer", "'" + entry.issuer()
                    + "' is listed twice; which entry a token gets must not depend on order");
        }
        return issuers;
    }

    private static IssuerSettings read(ConfigValues.Entry entry) {
        if (entry.values().containsKey("virtual_key_claim_field")) {
            throw new SettingsException(KEY + ".virtual_key_claim_field", "is not supported by Claimgate and would "
                    + "be silently ignored (LiteLLM applies the mapped virtual key's models, budgets and limits); "
                    + "remove it");
        }
        entry.onlyFields(FIELDS);
        ConfigValues rules = entry.rules();
        Map<String, Object> values = entry.values();
        Map<String, String> fields = new LinkedHashMap<>();
        for (String key : CLAIM_FIELD_KEYS) {
            String path = rules.string(KEY + "." + key, values.get(key));
            if (path != null) {
                fields.put(key, path);
            }
        }
        return new IssuerSettings(rules.string(KEY + ".issuer", values.get("issuer")),
                rules.strings(KEY + ".audience", values.get("audience"), List.of()),
                rules.bool(KEY + ".disable_audience_validation", values.get("disable_audience_validation"), false),
                rules.string(KEY + ".jwks_url", values.get("jwks_url")), fields);
    }

    private static boolean isHttp(String url) {
        return url.startsWith("https://") || url.startsWith("http://");
    }

    private static List<String> fields() {
        List<String> fields = new ArrayList<>(List.of("issuer", "audience", "disable_audience_validation",
                "jwks_url"));
        fields.addAll(CLAIM_FIELD_KEYS);
        return List.copyOf(fields);
    }
}
