package io.claimgate.validator.store;

import io.claimgate.model.DefaultUserParams;
import io.claimgate.model.EndUser;
import io.claimgate.model.Organization;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.Team;
import io.claimgate.model.TeamMembership;
import io.claimgate.model.User;
import io.claimgate.model.UserSync;
import java.util.Optional;

/**
 * The objects authentication reads: teams, users, organizations and end users.
 *
 * <p>Implementations are thread-safe. When the store cannot be reached they throw
 * {@link io.claimgate.validator.AuthException} with status 503, within a bounded time, never a raw SQL exception.
 */
public interface Directory {

    /** The team with this id. */
    Optional<Team> team(String teamId);

    /**
     * The team with this alias: LiteLLM's lookup for {@code team_alias_jwt_field} and header aliases. Aliases are not
     * unique in LiteLLM's table; an alias that two teams share names neither.
     *
     * @throws io.claimgate.validator.AuthException 400 {@code team_alias_ambiguous} when several teams have it
     */
    Optional<Team> teamByAlias(String teamAlias);

    /**
     * The user, looked up as LiteLLM does: by {@code user_id}, then by {@code sso_user_id}, then by e-mail
     * (case-insensitive). Either argument may be {@code null}.
     */
    Optional<User> user(String userId, String email);

    /**
     * Creates the user if no user with this id exists yet and returns the stored row. Race-free: concurrent calls for
     * one new user create one row and all return it.
     */
    User createUserIfAbsent(String userId, String email, ProxyRole role);

    /**
     * Creates the user as {@link #createUserIfAbsent(String, String, ProxyRole)} does, starting with LiteLLM's
     * {@code default_internal_user_params} (role, models, budget, budget duration, limits, teams). A directory that
     * cannot store those refuses rather than create a user without its limits.
     */
    default User createUserWithDefaults(String userId, String email, DefaultUserParams defaults) {
        if (!DefaultUserParams.NONE.equals(new DefaultUserParams(null, defaults.models(), defaults.maxBudget(),
                defaults.budgetDuration(), defaults.tpmLimit(), defaults.rpmLimit(), defaults.teams()))) {
            throw new UnsupportedOperationException(getClass().getName()
                    + " cannot create users with default_internal_user_params");
        }
        return createUserIfAbsent(userId, email, defaults.roleOrDefault());
    }

    /**
     * Writes what {@code sync_user_role_and_teams} changes for a user ({@link UserSync}) and returns the row as stored
     * afterwards; a user that is gone is returned as given. A directory that cannot write refuses rather than
     * pretend the sync happened.
     */
    default User syncUser(User user, UserSync sync) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot sync users");
    }

    /** The organization with this id, with its budget. */
    Optional<Organization> organization(String organizationId);

    /**
     * The organization with this alias ({@code organization_alias}), with its budget: LiteLLM's lookup for
     * {@code org_alias_jwt_field}. Aliases are not unique in LiteLLM's table; an alias that two organizations share
     * names neither, and the lookup is refused rather than guessed.
     *
     * @throws io.claimgate.validator.AuthException 403 {@code org_alias_ambiguous} when several organizations have it
     */
    Optional<Organization> organizationByAlias(String organizationAlias);

    /** The end user (LiteLLM's customer) with this id, with its budget. */
    Optional<EndUser> endUser(String endUserId);

    /**
     * The user's membership of the team ({@code LiteLLM_TeamMembership}), with its budget; LiteLLM's
     * {@code get_team_membership}. Either argument {@code null} finds nothing.
     *
     * <p>The default is a directory that keeps no memberships, so that no member budget applies; the database
     * directories override it.
     */
    default Optional<TeamMembership> membership(String teamId, String userId) {
        return Optional.empty();
    }
}
