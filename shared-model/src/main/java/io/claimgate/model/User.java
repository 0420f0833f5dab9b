package io.claimgate.model;

import java.util.List;

/**
 * A row of {@code LiteLLM_UserTable}, as far as authentication reads it.
 *
 * @param userId         the key
 * @param userEmail      the e-mail address, or {@code null}
 * @param ssoUserId      the identity provider's subject, unique, or {@code null}
 * @param userRole       the stored role, or {@code null}
 * @param organizationId the user's organization, or {@code null}
 * @param teams          the ids of the teams the user belongs to
 * @param models         the models the user may call without a team; empty means all
 * @param maxBudget      the personal spend ceiling in USD, or {@code null} for none
 * @param spend          the personal spend so far in USD
 */
public record User(String userId, String userEmail, String ssoUserId, ProxyRole userRole, String organizationId,
                   List<String> teams, List<String> models, Double maxBudget, double spend) {

    public User {
        teams = teams == null ? List.of() : List.copyOf(teams);
        models = models == null ? List.of() : List.copyOf(models);
    }
}
