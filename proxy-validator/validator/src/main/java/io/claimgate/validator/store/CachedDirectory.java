package io.claimgate.validator.store;

import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.claimgate.model.DefaultUserParams;
import io.claimgate.model.EndUser;
import io.claimgate.model.Organization;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.Team;
import io.claimgate.model.TeamMembership;
import io.claimgate.model.User;
import io.claimgate.model.UserSync;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A directory that remembers lookups, as LiteLLM does: found objects for 60 s, "not found" for 5 s (a team membership,
 * found or not, for 60 s).
 *
 * <p>Concurrent lookups of one key share a single query and its outcome. Failures (503) are never remembered, so the first request
 * after the database comes back reaches it. The {@code invalidate*} methods drop what is remembered about an object so
 * that a change made through the management API applies to the next request.
 */
public final class CachedDirectory implements Directory {

    private final Directory delegate;
    private final LookupCache<String, Team> teams;
    private final LookupCache<String, Team> teamsByAlias;
    private final LookupCache<UserKey, User> users;
    private final LookupCache<String, Organization> organizations;
    private final LookupCache<String, Organization> organizationsByAlias;
    private final LookupCache<String, EndUser> endUsers;
    private final LookupCache<MembershipKey, TeamMembership> memberships;

    /** Caches {@code delegate} with {@link CacheSettings#defaults()}. */
    public CachedDirectory(Directory delegate) {
        this(delegate, CacheSettings.defaults());
    }

    public CachedDirectory(Directory delegate, CacheSettings settings) {
        this(delegate, settings, Ticker.systemTicker());
    }

    /** With a chosen clock, so that tests can let time pass without waiting. */
    CachedDirectory(Directory delegate, CacheSettings settings, Ticker ticker) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        Objects.requireNonNull(settings, "settings");
        this.teams = new LookupCache<>(settings, ticker);
        this.teamsByAlias = new LookupCache<>(settings, ticker);
        this.users = new LookupCache<>(settings, ticker);
        this.organizations = new LookupCache<>(settings, ticker);
        this.organizationsByAlias = new LookupCache<>(settings, ticker);
        this.endUsers = new LookupCache<>(settings, ticker);
        // Most callers have no membership row (no member budget), so "none" is the usual answer: remembered as long as
        // a found object, it costs no query per request every few seconds and keeps being served while the database
        // is down, as the team and user it goes with are. Changes drop it through invalidation.
        this.memberships = new LookupCache<>(new CacheSettings(settings.positiveTtl(), settings.positiveTtl(),
                settings.maximumSize()), ticker);
    }

    @Override
    public Optional<Team> team(String teamId) {
        return cached(teams, teamId, delegate::team);
    }

    @Override
    public Optional<Team> teamByAlias(String teamAlias) {
        return cached(teamsByAlias, teamAlias, delegate::teamByAlias);
    }

    @Override
    public Optional<User> user(String userId, String email) {
        if (userId == null && email == null) {
            return Optional.empty();
        }
        return users.get(new UserKey(userId, email), key -> delegate.user(key.userId(), key.email()));
    }

    @Override
    public User createUserIfAbsent(String userId, String email, ProxyRole role) {
        User user = delegate.createUserIfAbsent(userId, email, role);
        // The "not found" just remembered for this user would otherwise refuse it for a few more seconds.
        invalidateUser(user.userId());
        return user;
    }

    @Override
    public User syncUser(User user, UserSync sync) {
        User synced = delegate.syncUser(user, sync);
        // This replica sees its own write at once; the triggers' notices tell the others.
        invalidateUser(user.userId());
        sync.teamsToAdd().forEach(this::invalidateTeam);
        sync.teamsToRemove().forEach(this::invalidateTeam);
        return synced;
    }

    @Override
    public User createUserWithDefaults(String userId, String email, DefaultUserParams defaults) {
        User user = delegate.createUserWithDefaults(userId, email, defaults);
        invalidateUser(user.userId());
        return user;
    }

    @Override
    public Optional<Organization> organization(String organizationId) {
        return cached(organizations, organizationId, delegate::organization);
    }

    @Override
    public Optional<Organization> organizationByAlias(String organizationAlias) {
        return cached(organizationsByAlias, organizationAlias, delegate::organizationByAlias);
    }

    @Override
    public Optional<EndUser> endUser(String endUserId) {
        return cached(endUsers, endUserId, delegate::endUser);
    }

    @Override
    public Optional<TeamMembership> membership(String teamId, String userId) {
        if (teamId == null || userId == null) {
            return Optional.empty();
        }
        return memberships.get(new MembershipKey(teamId, userId),
                key -> delegate.membership(key.teamId(), key.userId()));
    }

    /**
     * Forgets the team with this id, however it was looked up, and every remembered "no team with this alias" (the
     * team may just have been given one of them).
     */
    public void invalidateTeam(String teamId) {
        teams.invalidate(teamId);
        teamsByAlias.invalidateIf((alias, team) -> team.isEmpty() || team.get().teamId().equals(teamId));
        memberships.invalidateIf((key, membership) -> key.teamId().equals(teamId));
    }

    /**
     * Forgets the user with this id, whether it was looked up by id, subject or e-mail, and every remembered "no such
     * user" (the user may just have been created under one of those names).
     */
    public void invalidateUser(String userId) {
        users.invalidateIf((key, user) -> userId.equals(key.userId()) || user.isEmpty()
                || user.get().userId().equals(userId));
        // A membership change is announced for its user (ChangeNotice.Kind.MEMBERSHIP, the management API's
        // userChanged), so the user's memberships go with the user.
        memberships.invalidateIf((key, membership) -> key.userId().equals(userId));
    }

    /**
     * Forgets the organization with this id, including its budget, however it was looked up, and every remembered
     * "no organization with this alias" (it may just have been given one of them).
     */
    public void invalidateOrganization(String organizationId) {
        organizations.invalidate(organizationId);
        organizationsByAlias.invalidateIf((alias, org) -> org.isEmpty()
                || org.get().organizationId().equals(organizationId));
    }

    /** Forgets the end user with this id, including its budget. */
    public void invalidateEndUser(String endUserId) {
        endUsers.invalidate(endUserId);
    }

    /**
     * The team's spend changed and nothing else (a spend flush): the team, however it was looked up, is read again by
     * the next caller that may wait, and served as remembered to everyone else until then.
     */
    public void spendChangedOfTeam(String teamId) {
        teams.reload(teamId);
        teamsByAlias.reloadIf((alias, team) -> team.isPresent() && team.get().teamId().equals(teamId));
    }

    /** The user's spend changed and nothing else: as {@link #spendChangedOfTeam}. */
    public void spendChangedOfUser(String userId) {
        users.reloadIf((key, user) -> user.isPresent() && user.get().userId().equals(userId));
    }

    /** A member's spend within one team changed and nothing else: as {@link #spendChangedOfTeam}. */
    public void spendChangedOfMembership(String teamId, String userId) {
        memberships.reload(new MembershipKey(teamId, userId));
    }

    /** The organization's spend changed and nothing else: as {@link #spendChangedOfTeam}. */
    public void spendChangedOfOrganization(String organizationId) {
        organizations.reload(organizationId);
        organizationsByAlias.reloadIf((alias, org) -> org.isPresent()
                && org.get().organizationId().equals(organizationId));
    }

    /** The end user's spend changed and nothing else: as {@link #spendChangedOfTeam}. */
    public void spendChangedOfEndUser(String endUserId) {
        endUsers.reload(endUserId);
    }

    /** Forgets everything, for a change whose reach is unknown (a budget shared by several objects, say). */
    public void invalidateAll() {
        teams.invalidateAll();
        teamsByAlias.invalidateAll();
        users.invalidateAll();
        organizations.invalidateAll();
        organizationsByAlias.invalidateAll();
        endUsers.invalidateAll();
        memberships.invalidateAll();
    }

    /**
     * Hit and miss counts per kind of object, for metrics: keys {@code team}, {@code team_alias}, {@code user},
     * {@code organization}, {@code organization_alias}, {@code end_user} and {@code team_membership}.
     */
    public Map<String, CacheStats> stats() {
        Map<String, CacheStats> stats = new LinkedHashMap<>();
        stats.put("team", teams.stats());
        stats.put("team_alias", teamsByAlias.stats());
        stats.put("user", users.stats());
        stats.put("organization", organizations.stats());
        stats.put("organization_alias", organizationsByAlias.stats());
        stats.put("end_user", endUsers.stats());
        stats.put("team_membership", memberships.stats());
        return stats;
    }

    /** The remembered answer for this key, or the delegate's, remembered; no key finds nothing. */
    private static <V> Optional<V> cached(LookupCache<String, V> cache, String key,
                                          Function<String, Optional<V>> lookup) {
        return key == null ? Optional.empty() : cache.get(key, lookup);
    }

    /** A user lookup: LiteLLM finds a user by id, subject or e-mail, so the pair is the key. */
    private record UserKey(String userId, String email) {
    }

    /** A membership lookup: one user in one team. */
    private record MembershipKey(String teamId, String userId) {
    }
}
