package io.claimgate.keycloak;

import static io.claimgate.keycloak.ProxyClaimsConfigProperties.*;

import io.claimgate.model.ClaimNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A typed view over the mapper's config map: every key optional, a blank value means the default (the admin console
 * sends empty strings for untouched fields). The only place that reads raw config strings.
 */
public final class ProxyClaimsConfig {

    /**
     * Claims that Keycloak or the JWT/OIDC specs own; writing one would corrupt the token or be ignored. Refused as a
     * claim name (also as the first segment of a dotted, nested name).
     */
    static final Set<String> RESERVED_CLAIMS = Set.of(
            "sub", "iss", "exp", "iat", "nbf", "jti", "aud", "azp", "typ", "scope", "nonce", "session_state",
            "sid", "auth_time", "acr", "at_hash", "c_hash");

    private static final String OVERAGE_SUFFIX = "_overage";

    private final Map<String, String> raw;

    private ProxyClaimsConfig(Map<String, String> raw) {
        this.raw = raw == null ? Map.of() : raw;
    }

    /**
     * The config over this map. Call {@link #problems(Map)} first: a map with problems gives undefined values here.
     */
    public static ProxyClaimsConfig of(Map<String, String> raw) {
        return new ProxyClaimsConfig(raw);
    }

    /**
     * Why this config cannot work, one sentence per problem; empty when it can. The sentences name keys, never echo
     * values: Keycloak passes them through {@code MessageFormat}, where braces or quotes from input would break.
     */
    public static List<String> problems(Map<String, String> raw) {
        ProxyClaimsConfig config = of(raw);
        List<String> problems = new ArrayList<>();
        if (!config.teamsGroupPath().startsWith("/")) {
            problems.add(TEAMS_GROUP_PATH + " must be a group path starting with /, for example /teams");
        }
        if (config.teamsMaxValue().filter(max -> max >= 1).isEmpty()) {
            problems.add(TEAMS_MAX + " must be a whole number of at least 1");
        }
        if (!ScopeMerger.isScopeToken(config.adminScope())) {
            problems.add(ADMIN_SCOPE + " must be a single OAuth scope: printable ASCII without spaces, double quotes"
                    + " or backslashes");
        }
        if (config.orgSourceValue().isEmpty()) {
            problems.add(ORG_SOURCE + " must be attribute or organization");
        }
        if (config.orgValueValue().isEmpty()) {
            problems.add(ORG_VALUE + " must be alias or id");
        }
        Map<String, String> claimKeys = new LinkedHashMap<>();
        claimKeys.put(CLAIM_TEAM_ID, config.claimTeamId());
        claimKeys.put(CLAIM_TEAM_IDS, config.claimTeamIds());
        claimKeys.put(CLAIM_ROLES, config.claimRoles());
        claimKeys.put(CLAIM_ORG_ID, config.claimOrgId());
        claimKeys.forEach((key, name) -> {
            String head = name.split("\\.", 2)[0];
            if (RESERVED_CLAIMS.contains(name) || RESERVED_CLAIMS.contains(head)) {
                problems.add(key + " names a claim reserved by Keycloak or OpenID Connect: " + head);
            }
        });
        List<String> names = new ArrayList<>(claimKeys.values());
        names.add(config.claimTeamIdsOverage());
        if (names.stream().distinct().count() != names.size()) {
            problems.add("claim.team_id, claim.team_ids, claim.roles and claim.org_id must name different claims");
        }
        return problems;
    }

    /** {@code teams.group.path}, default {@code /teams}, without a trailing slash (except for the root {@code /}). */
    public String teamsGroupPath() {
        String path = value(TEAMS_GROUP_PATH).orElse(DEFAULT_TEAMS_GROUP_PATH);
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** {@code teams.active.attribute}, default {@code team_id}. */
    public String activeTeamAttribute() {
        return value(TEAMS_ACTIVE_ATTRIBUTE).orElse(DEFAULT_TEAMS_ACTIVE_ATTRIBUTE);
    }

    /** {@code teams.max}, default 100. */
    public int teamsMax() {
        return teamsMaxValue().orElse(DEFAULT_TEAMS_MAX);
    }

    private Optional<Integer> teamsMaxValue() {
        Optional<String> value = value(TEAMS_MAX);
        if (value.isEmpty()) {
            return Optional.of(DEFAULT_TEAMS_MAX);
        }
        try {
            return Optional.of(Integer.parseInt(value.get()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@code roles.client}: the client whose roles join the roles claim; none by default. */
    public Optional<String> rolesClient() {
        return value(ROLES_CLIENT);
    }

    /** {@code admin.role}, default {@code proxy-admin}. */
    public String adminRole() {
        return value(ADMIN_ROLE).orElse(DEFAULT_ADMIN_ROLE);
    }

    /** {@code admin.scope}, default {@code litellm_proxy_admin}. */
    public String adminScope() {
        return value(ADMIN_SCOPE).orElse(DEFAULT_ADMIN_SCOPE);
    }

    /** {@code scopes.attribute}, default {@code llm_scopes}. */
    public String scopesAttribute() {
        return value(SCOPES_ATTRIBUTE).orElse(DEFAULT_SCOPES_ATTRIBUTE);
    }

    /** {@code org.attribute}, default {@code org_id}. */
    public String orgAttribute() {
        return value(ORG_ATTRIBUTE).orElse(DEFAULT_ORG_ATTRIBUTE);
    }

    /** {@code org.source}, default {@code attribute}. */
    public OrganizationSource orgSource() {
        return orgSourceValue().orElse(DEFAULT_ORG_SOURCE);
    }

    private Optional<OrganizationSource> orgSourceValue() {
        return value(ORG_SOURCE).map(OrganizationSource::fromConfig).orElse(Optional.of(DEFAULT_ORG_SOURCE));
    }

    /** {@code org.value}, default {@code alias}. */
    public OrganizationValue orgValue() {
        return orgValueValue().orElse(DEFAULT_ORG_VALUE);
    }

    private Optional<OrganizationValue> orgValueValue() {
        return value(ORG_VALUE).map(OrganizationValue::fromConfig).orElse(Optional.of(DEFAULT_ORG_VALUE));
    }

    /** {@code claim.team_id}, default {@code team_id}. */
    public String claimTeamId() {
        return value(CLAIM_TEAM_ID).orElse(ClaimNames.TEAM_ID);
    }

    /** {@code claim.team_ids}, default {@code team_ids}. */
    public String claimTeamIds() {
        return value(CLAIM_TEAM_IDS).orElse(ClaimNames.TEAM_IDS);
    }

    /**
     * The claim written instead of the team ids when the cap is exceeded: the team ids claim name plus
     * {@code _overage}, so that {@code team_ids} gives {@link ClaimNames#TEAM_IDS_OVERAGE}.
     */
    public String claimTeamIdsOverage() {
        return claimTeamIds() + OVERAGE_SUFFIX;
    }

    /** {@code claim.roles}, default {@code roles}. */
    public String claimRoles() {
        return value(CLAIM_ROLES).orElse(ClaimNames.ROLES);
    }

    /** {@code claim.org_id}, default {@code org_id}. */
    public String claimOrgId() {
        return value(CLAIM_ORG_ID).orElse(ClaimNames.ORG_ID);
    }

    private Optional<String> value(String key) {
        String value = raw.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
