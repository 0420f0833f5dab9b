package io.claimgate.benchmarks;

import io.claimgate.model.EndUser;
import io.claimgate.model.Organization;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.Team;
import io.claimgate.model.User;
import io.claimgate.validator.store.Directory;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark token's team and user, in memory: what PostgreSQL would answer, behind the same
 * {@link io.claimgate.validator.store.CachedDirectory} the gateway uses, so that authenticate() runs with warm object
 * caches and no database in the measurement.
 */
final class FixedDirectory implements Directory {

    static final String TEAM_ID = "team-ml-platform";
    static final String USER_ID = "3f6c9a52-8d1e-4b7a-9c2f-5e8d7b6a4c31";

    private final Team team = new Team(TEAM_ID, "ML platform", null, List.of(), null, 0, false, Map.of());
    private final User user = new User(USER_ID, "alice@example.com", null, ProxyRole.INTERNAL_USER, null,
            List.of(TEAM_ID), List.of(), null, 0);

    @Override
    public Optional<Team> team(String teamId) {
        return TEAM_ID.equals(teamId) ? Optional.of(team) : Optional.empty();
    }

    @Override
    public Optional<Team> teamByAlias(String teamAlias) {
        return Optional.empty();
    }

    @Override
    public Optional<User> user(String userId, String email) {
        return USER_ID.equals(userId) ? Optional.of(user) : Optional.empty();
    }

    @Override
    public User createUserIfAbsent(String userId, String email, ProxyRole role) {
        return user(userId, email).orElseThrow(() -> new IllegalStateException("unexpected user " + userId));
    }

    @Override
    public Optional<Organization> organization(String organizationId) {
        return Optional.empty();
    }

    @Override
    public Optional<Organization> organizationByAlias(String organizationAlias) {
        return Optional.empty();
    }

    @Override
    public Optional<EndUser> endUser(String endUserId) {
        return Optional.empty();
    }
}
