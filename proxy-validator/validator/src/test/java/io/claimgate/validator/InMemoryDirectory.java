package io.claimgate.validator;

import io.claimgate.model.DefaultUserParams;
import io.claimgate.model.EndUser;
import io.claimgate.model.Organization;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.Team;
import io.claimgate.model.User;
import io.claimgate.model.UserSync;
import io.claimgate.validator.store.Directory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A directory in memory, for unit tests of the pipeline's decisions; the real one is tested against PostgreSQL. */
final class InMemoryDirectory implements Directory {

    final Map<String, Team> teams = new ConcurrentHashMap<>();
    final Map<String, User> users = new ConcurrentHashMap<>();
    final Map<String, Organization> organizations = new ConcurrentHashMap<>();
    final Map<String, EndUser> endUsers = new ConcurrentHashMap<>();
    final AtomicInteger lookups = new AtomicInteger();
    final AtomicInteger syncs = new AtomicInteger();

    InMemoryDirectory team(Team team) {
        teams.put(team.teamId(), team);
        return this;
    }

    InMemoryDirectory user(User user) {
        users.put(user.userId(), user);
        return this;
    }

    InMemoryDirectory organization(Organization org) {
        organizations.put(org.organizationId(), org);
        return this;
    }

    InMemoryDirectory endUser(EndUser endUser) {
        endUsers.put(endUser.userId(), endUser);
        return this;
    }

    @Override
    public Optional<Team> team(String teamId) {
        lookups.incrementAndGet();
        return Optional.ofNullable(teams.get(teamId));
    }

    @Override
    public Optional<Team> teamByAlias(String teamAlias) {
        lookups.incrementAndGet();
        return teams.values().stream().filter(t -> teamAlias.equals(t.teamAlias())).findFirst();
    }

    @Override
    public Optional<User> user(String userId, String email) {
        lookups.incrementAndGet();
        User byId = userId == null ? null : users.get(userId);
        if (byId != null) {
            return Optional.of(byId);
        }
        return users.values().stream()
                .filter(u -> userId != null && userId.equals(u.ssoUserId())
                        || email != null && email.equalsIgnoreCase(u.userEmail()))
                .findFirst();
    }

    @Override
    public User createUserIfAbsent(String userId, String email, ProxyRole role) {
        return users.computeIfAbsent(userId,
                id -> new User(id, email, null, role, null, List.of(), List.of(), null, 0));
    }

    @Override
    public User syncUser(User user, UserSync sync) {
        syncs.incrementAndGet();
        java.util.LinkedHashSet<String> teams = new java.util.LinkedHashSet<>(user.teams());
        sync.teamsToAdd().stream().filter(this.teams::containsKey).forEach(teams::add);
        sync.teamsToRemove().forEach(teams::remove);
        User synced = new User(user.userId(), user.userEmail(), user.ssoUserId(),
                sync.role() != null ? sync.role() : user.userRole(), user.organizationId(), List.copyOf(teams),
                user.models(), user.maxBudget(), user.spend());
        users.put(user.userId(), synced);
        return synced;
    }

    @Override
    public User createUserWithDefaults(String userId, String email, DefaultUserParams defaults) {
        return users.computeIfAbsent(userId, id -> new User(id, email, null, defaults.roleOrDefault(), null,
                defaults.teams(), defaults.models(), defaults.maxBudget(), 0));
    }

    @Override
    public Optional<Organization> organization(String organizationId) {
        lookups.incrementAndGet();
        return Optional.ofNullable(organizations.get(organizationId));
    }

    @Override
    public Optional<Organization> organizationByAlias(String organizationAlias) {
        lookups.incrementAndGet();
        return organizations.values().stream().filter(o -> organizationAlias.equals(o.organizationAlias()))
                .findFirst();
    }

    @Override
    public Optional<EndUser> endUser(String endUserId) {
        lookups.incrementAndGet();
        return Optional.ofNullable(endUsers.get(endUserId));
    }
}
