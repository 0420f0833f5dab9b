package io.claimgate.model;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * LiteLLM's {@code litellm_settings.default_internal_user_params}: what a user created on first sight
 * ({@code user_id_upsert}) starts with. LiteLLM's {@code get_user_object} merges this mapping into the new row as it
 * stands, so every key here is a column of {@code LiteLLM_UserTable}.
 *
 * @param userRole       {@code user_role}; {@code null} when unset, stored as {@code internal_user}
 * @param models         {@code models}; empty means all models, as for any user
 * @param maxBudget      {@code max_budget} in USD, or {@code null} for none
 * @param budgetDuration {@code budget_duration} (e.g. {@code 30d}), or {@code null}; the budget reset job sets the
 *                       first reset time, as it does for a row LiteLLM upserts
 * @param tpmLimit       {@code tpm_limit}, or {@code null}
 * @param rpmLimit       {@code rpm_limit}, or {@code null}
 * @param teams          {@code teams}: team ids written to the user's {@code teams} column, as LiteLLM's insert does
 */
public record DefaultUserParams(ProxyRole userRole, List<String> models, Double maxBudget, String budgetDuration,
                                Long tpmLimit, Long rpmLimit, List<String> teams) {

    /** No defaults: a new user is an {@code internal_user} with all models and no budget. */
    public static final DefaultUserParams NONE = new DefaultUserParams(null, List.of(), null, null, null, null,
            List.of());

    private static final String KEY = "litellm_settings.default_internal_user_params";
    private static final List<String> FIELDS = List.of("user_role", "models", "max_budget", "budget_duration",
            "tpm_limit", "rpm_limit", "teams", "available_teams");
    // A default that made every first-sight caller an administrator (or able to read every key and user) would turn
    // "anyone the identity provider signs a token for" into an admin; Claimgate refuses it, see access-control.md.
    private static final Set<ProxyRole> ROLES = Set.of(ProxyRole.INTERNAL_USER, ProxyRole.INTERNAL_USER_VIEWER);

    public DefaultUserParams {
        models = models == null ? List.of() : List.copyOf(models);
        teams = teams == null ? List.of() : List.copyOf(teams);
        SettingChecks.require(userRole == null || ROLES.contains(userRole), KEY + ".user_role",
                "must be internal_user or internal_user_viewer for users created on first sight, got " + userRole
                        + "; make administrators one by one with /user/new or the admin scope");
        SettingChecks.require(maxBudget == null || (maxBudget >= 0 && !maxBudget.isInfinite()),
                KEY + ".max_budget", "must be a number of at least 0, got " + maxBudget);
        SettingChecks.require(tpmLimit == null || tpmLimit >= 0, KEY + ".tpm_limit", "must be at least 0");
        SettingChecks.require(rpmLimit == null || rpmLimit >= 0, KEY + ".rpm_limit", "must be at least 0");
    }

    /**
     * Reads the mapping. {@code available_teams} is accepted and not used here: LiteLLM reads it for self-service
     * team joins, never when creating a user.
     *
     * @throws SettingsException for an unknown key (LiteLLM's insert would fail on it for every new user), a role
     *                           other than an internal user's, or a value of the wrong type
     */
    public static DefaultUserParams read(ConfigValues values, Object block) {
        if (block == null) {
            return NONE;
        }
        Map<String, Object> map = values.map(KEY, block);
        for (String field : map.keySet()) {
            if (!FIELDS.contains(field)) {
                throw new SettingsException(KEY + "." + field, "unknown key; allowed: " + String.join(", ", FIELDS));
            }
        }
        ProxyRole role = map.get("user_role") == null ? null : values.role(KEY + ".user_role", map.get("user_role"));
        return new DefaultUserParams(role, values.strings(KEY + ".models", map.get("models"), List.of()),
                decimal(values, KEY + ".max_budget", map.get("max_budget")),
                values.string(KEY + ".budget_duration", map.get("budget_duration")),
                whole(values, KEY + ".tpm_limit", map.get("tpm_limit")),
                whole(values, KEY + ".rpm_limit", map.get("rpm_limit")),
                values.strings(KEY + ".teams", map.get("teams"), List.of()));
    }

    /** The role a new user is stored with: LiteLLM's {@code internal_user} unless the defaults name another. */
    public ProxyRole roleOrDefault() {
        return userRole == null ? ProxyRole.INTERNAL_USER : userRole;
    }

    private static Double decimal(ConfigValues values, String key, Object value) {
        String text = values.string(key, value);
        if (text == null) {
            return null;
        }
        try {
            return Double.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw new SettingsException(key, "expected a number, got " + ConfigValues.describe(value));
        }
    }

    private static Long whole(ConfigValues values, String key, Object value) {
        return values.string(key, value) == null ? null : values.number(key, value, 0);
    }
}
