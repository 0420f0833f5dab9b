package io.claimgate.validator.access;

import io.claimgate.model.ClaimFields;
import io.claimgate.model.Team;
import io.claimgate.model.User;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.claims.TokenClaims;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The team a request is made for, in the order of LiteLLM's newest {@code authorize_jwt}
 * ({@code resolve_team_from_header}, {@code find_and_validate_specific_team_id}, {@code find_team_with_model_access},
 * then {@code _resolve_db_team_fallback} or {@code _resolve_single_team_fallback}). In two steps, because the
 * fallbacks read the user's database teams and the user is loaded between them:
 *
 * <p>{@link #choose} reads the token:
 * <ol>
 *   <li>the {@code x-litellm-team-id} header, by id or unique alias, which must name one of the token's teams;</li>
 *   <li>the role's object id ({@code object_id_jwt_field} for a team role);</li>
 *   <li>the token's team id; the team alias, which wins over {@code team_id_default} when the token carries no team
 *       claim; then {@code team_id_default}. A named team not in the database is 404, unless
 *       {@code team_claim_fallback} leaves it to the steps below;</li>
 *   <li>refused when {@code team_id_jwt_field} or {@code team_alias_jwt_field} is set and the token names no team,
 *       even if it lists {@code team_ids} ({@code is_required_team_id});</li>
 *   <li>the first of {@code team_ids}, in token order, that exists and may use every model the request names.</li>
 * </ol>
 * {@link #settle} then falls back to the user's database teams ({@code LiteLLM_UserTable.teams}) when the token
 * decided none: with {@code fallback_to_db_teams} and a token without any team claim, the first of them that exists
 * and may use every model and the route; otherwise the user's only team, when the user has exactly one.
 *
 * <p>A token whose team list was cut short ({@code team_ids_overage}) is refused wherever that list would decide, and
 * never counts as a token without team claims. The decision is pure; teams are read through the lookups it is given
 * (the directory's), and only as far as the rules need them.
 */
public final class TeamChoice {

    private static final Pattern DOT_INDEX = Pattern.compile("(.+)\\.(\\d+)");
    private static final Pattern BRACKET_INDEX = Pattern.compile("(\\w+)\\[(\\d+)]");

    private final Function<String, Optional<Team>> teams;
    private final Function<String, Optional<Team>> teamsByAlias;
    private final AccessPolicy policy;
    private final String teamIdField;
    private final String teamAliasField;
    private final boolean teamClaimFallback;
    private final boolean fallbackToDbTeams;
    private final ModelCatalogue catalogue;

    /**
     * @param claims       where the token names its team, which makes a team required, and the team fallbacks
     * @param policy       the access policy whose {@code team_allowed_routes} and
     *                     {@code enforce_team_based_model_access} apply; its route matcher is reused, not compiled
     *                     again
     * @param teams        finds a team by id
     * @param teamsByAlias finds a team by alias; may refuse an alias several teams share
     */
    public TeamChoice(ClaimFields claims, AccessPolicy policy, Function<String, Optional<Team>> teams,
                      Function<String, Optional<Team>> teamsByAlias) {
        this(claims, policy, teams, teamsByAlias, ModelCatalogue.EMPTY);
    }

    /**
     * A team choice that decides a team's models as the upstream's router runs them (access groups, aliases,
     * provider wildcards).
     *
     * @param catalogue the proxy's deployments and aliases
     */
    public TeamChoice(ClaimFields claims, AccessPolicy policy, Function<String, Optional<Team>> teams,
                      Function<String, Optional<Team>> teamsByAlias, ModelCatalogue catalogue) {
        this.catalogue = Objects.requireNonNull(catalogue, "catalogue");
        Objects.requireNonNull(claims, "claims");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.teams = Objects.requireNonNull(teams, "teams");
        this.teamsByAlias = Objects.requireNonNull(teamsByAlias, "teamsByAlias");
        teamIdField = claims.teamIdJwtField();
        teamAliasField = claims.teamAliasJwtField();
        teamClaimFallback = claims.teamClaimFallback();
        fallbackToDbTeams = claims.fallbackToDbTeams();
    }

    /**
     * What the token decides, before the user is loaded.
     *
     * @param claims       the token's claims
     * @param role         the token's role, or {@code null}
     * @param headerTeamId the {@code x-litellm-team-id} header, or {@code null}
     * @param models       every model the request may use; empty when it names none
     * @param route        the request path
     * @return the team, or which of the user's database teams may stand in; pass it to {@link #settle}
     * @throws AuthException 404 for a named team that is not in the database, 400 for an alias several teams share,
     *                       403 when no team qualifies or the token's teams are unknown
     */
    public Choice choose(TokenClaims claims, RoleResolution role, String headerTeamId, List<String> models,
                         String route) {
        String objectTeamId = role == null ? null : role.objectTeamId();
        // LiteLLM's db_team_fallback: only a token with no team identity at all. A default team does not count, an
        // RBAC object team does, so a header can never override a team the role asserts.
        boolean fromUserTeams = fallbackToDbTeams && objectTeamId == null && carriesNoTeam(claims);
        String header = headerTeamId == null || headerTeamId.isBlank() ? null : headerTeamId;
        if (header != null) {
            return fromUserTeams ? Choice.unconfirmedHeader(headerTeamForMember(header), header)
                    : Choice.of(requireTeam(headerTeam(header, claims)));
        }
        if (objectTeamId != null) {
            return Choice.of(requireTeam(objectTeamId));
        }
        if (fromUserTeams) {
            return Choice.fromUserTeams();
        }
        String teamId = claims.teamId();
        if (claims.teamAlias() != null && claims.teamIdClaim() == null && claims.teamIds().isEmpty()) {
            // team_id_default stands in for a missing team id claim; an alias claim is a real one and wins over it.
            teamId = null;
        }
        String unresolvedTeamId = null;
        if (teamId != null) {
            Optional<Team> named = teams.apply(teamId);
            if (named.isPresent()) {
                return Choice.of(named.get());
            }
            if (!teamClaimFallback) {
                throw notFound(teamId);
            }
            unresolvedTeamId = teamId;
        } else if (claims.teamAlias() != null) {
            return Choice.of(teamsByAlias.apply(claims.teamAlias()).orElseThrow(() -> AuthException.notFound(
                    "team_not_found", "Team doesn't exist in db. Team alias=" + claims.teamAlias()
                            + ". Create team via `/team/new` call.")));
        }
        requireKnownTeams(claims);
        if (unresolvedTeamId == null && teamRequired()) {
            // A token that lists team_ids instead is refused too, as LiteLLM does: the field says which claim decides.
            throw missingTeam();
        }
        List<String> candidates = new ArrayList<>(claims.teamIds());
        if (unresolvedTeamId != null && !candidates.contains(unresolvedTeamId)) {
            candidates.add(unresolvedTeamId);
        }
        return firstTeamWithAccess(candidates, models, route).map(Choice::of).orElseGet(Choice::singleUserTeam);
    }

    /**
     * The team once the user is loaded: the token's, else the one LiteLLM's fallbacks take from the user's database
     * teams. A fallback team goes through the same common checks (blocked, models, budgets) as a token's.
     *
     * @param choice what {@link #choose} decided
     * @param user   the caller's user row, or {@code null} when the token names no user
     * @param models every model the request may use
     * @param route  the request path
     * @return the team, or {@code null} when the request is made for none
     * @throws AuthException 403 when a header team is not one of the user's, a fallback team may not call the route,
     *                       or {@code enforce_team_based_model_access} finds no usable team
     */
    public Team settle(Choice choice, User user, List<String> models, String route) {
        Objects.requireNonNull(choice, "choice");
        List<String> userTeams = user == null ? List.of() : user.teams();
        return switch (choice.source()) {
            case TOKEN -> choice.team();
            case UNCONFIRMED_HEADER -> confirmHeaderTeam(choice, userTeams, route);
            case USER_TEAMS -> firstUserTeamWithAccess(userTeams, models, route);
            case SINGLE_USER_TEAM -> singleUserTeam(userTeams, route);
        };
    }

    /**
     * Whether the token carries no team claim at all: no team id (the default does not count), no team list, no
     * alias, and no sign of a cut list. LiteLLM's {@code get_all_jwt_team_ids} and {@code get_team_alias} both empty.
     */
    static boolean carriesNoTeam(TokenClaims claims) {
        return claims.teamIdClaim() == null && claims.teamIds().isEmpty() && claims.teamAlias() == null
                && !claims.teamIdsOverage();
    }

    /**
     * Whether every token must name a team: LiteLLM's {@code is_required_team_id}, true once
     * {@code team_id_jwt_field} or {@code team_alias_jwt_field} is set.
     */
    boolean teamRequired() {
        return teamIdField != null || teamAliasField != null;
    }

    /**
     * The refusal for a token that names no team although {@link #teamRequired()}: LiteLLM's message, with its hint
     * when the field tries list indexing ({@code roles.0}, {@code roles[0]}), which claim paths do not support.
     */
    AuthException missingTeam() {
        String hint = "";
        if (teamIdField != null) {
            Matcher dot = DOT_INDEX.matcher(teamIdField);
            Matcher bracket = BRACKET_INDEX.matcher(teamIdField);
            if (dot.matches()) {
                hint = " Hint: dot-notation array indexing (e.g. '" + teamIdField + "') is not supported. Use '"
                        + dot.group(1) + "' instead — LiteLLM automatically uses the first element when the field "
                        + "value is a list.";
            } else if (bracket.matches()) {
                hint = " Hint: array indexing (e.g. '" + teamIdField + "') is not supported in team_id_jwt_field. "
                        + "Use '" + bracket.group(1) + "' instead — LiteLLM automatically uses the first element when "
                        + "the field value is a list.";
            }
        }
        return AuthException.forbidden("team_missing", "No team found in token. Checked team_id field '"
                + (teamIdField == null ? "None" : teamIdField) + "' and team_alias field '"
                + (teamAliasField == null ? "None" : teamAliasField) + "'." + hint);
    }

    /**
     * The team id the {@code x-litellm-team-id} header names among the token's teams ({@code team_ids} plus the
     * single team id, default included): the value itself when it is one of them, else the team it is the unique
     * alias of, when that team is one of them.
     *
     * @throws AuthException 403 when the header names no team the token carries, or the token's list is cut
     */
    String headerTeam(String header, TokenClaims claims) {
        TreeSet<String> allowed = new TreeSet<>(claims.teamIds());
        if (claims.teamId() != null) {
            allowed.add(claims.teamId());
        }
        if (allowed.contains(header)) {
            return header;
        }
        // An alias is accepted only when the team it names would have been accepted by id; an alias several teams
        // share names no team.
        Optional<Team> aliased = teamByAliasOrNone(header);
        if (aliased.isPresent() && allowed.contains(aliased.get().teamId())) {
            return aliased.get().teamId();
        }
        requireKnownTeams(claims);
        throw AuthException.forbidden("team_header_not_allowed", "x-litellm-team-id '" + header
                + "' does not resolve to a team id or a unique team alias in your JWT's allowed teams. "
                + "Allowed team ids: " + Messages.list(new ArrayList<>(allowed)));
    }

    /**
     * The team a header names for a token without team claims under {@code fallback_to_db_teams}: by id, else by
     * unique alias. Whether the user is its member is only known once the user is loaded ({@link #settle}).
     *
     * @throws AuthException 403 when it names no team, worded as the refusal of a team the user is not in, so that
     *                       the answer tells nothing about which teams exist
     */
    private Team headerTeamForMember(String header) {
        Optional<Team> team = teams.apply(header);
        if (team.isEmpty()) {
            team = teamByAliasOrNone(header);
        }
        return team.orElseThrow(() -> notAMember(header));
    }

    private Optional<Team> teamByAliasOrNone(String alias) {
        try {
            return teamsByAlias.apply(alias);
        } catch (AuthException.Refused ambiguous) {
            return Optional.empty();
        }
    }

    private Team confirmHeaderTeam(Choice choice, List<String> userTeams, String route) {
        if (!userTeams.contains(choice.team().teamId())) {
            throw notAMember(choice.header());
        }
        if (!policy.teamMayCall(route)) {
            throw AuthException.forbidden("team_route_not_allowed", "Team '" + choice.header()
                    + "' (from x-litellm-team-id header) is not allowed to access route '" + route + "'.");
        }
        return choice.team();
    }

    private static AuthException notAMember(String header) {
        return AuthException.forbidden("team_header_not_allowed", "x-litellm-team-id '" + header
                + "' does not resolve to a team id or a unique team alias among your team memberships.");
    }

    /**
     * LiteLLM's {@code _resolve_db_team_fallback}: the first of the user's teams, in the row's order, that exists,
     * may use every model and may call the route under {@code team_allowed_routes}.
     */
    private Team firstUserTeamWithAccess(List<String> userTeams, List<String> models, String route) {
        boolean routeAllowed = policy.teamMayCall(route);
        boolean anyTeamFound = false;
        if (routeAllowed || policy.enforcesTeamBasedModelAccess()) {
            for (String teamId : userTeams) {
                Optional<Team> team = teams.apply(teamId);
                if (team.isEmpty()) {
                    continue;
                }
                anyTeamFound = true;
                if (routeAllowed && permitsAll(team.get(), models)) {
                    return team.get();
                }
            }
        }
        if (policy.enforcesTeamBasedModelAccess()) {
            if (!models.isEmpty() && anyTeamFound) {
                throw AuthException.teamModelDenied("No team you are a member of has access to the requested model"
                        + (models.size() == 1 ? "" : "s") + ": " + String.join(", ", models)
                        + ". Check `/models` to see the models available to you.");
            }
            throw AuthException.forbidden("no_team_membership",
                    "User is not a member of any team. Add the user to a team via the LiteLLM UI or API.");
        }
        return null;
    }

    /**
     * LiteLLM's {@code _resolve_single_team_fallback}: the user's only team, when it exists. Unlike LiteLLM, the team
     * is held to {@code team_allowed_routes} as every team is here; leaving it out instead would let the route pick
     * whether the team's block and budget apply.
     */
    private Team singleUserTeam(List<String> userTeams, String route) {
        if (userTeams.size() != 1) {
            return null;
        }
        Team team = teams.apply(userTeams.get(0)).orElse(null);
        if (team != null && !policy.teamMayCall(route)) {
            throw AuthException.forbidden("team_route_not_allowed", "Team not allowed to access this route. Route="
                    + route + ". The request is made for team=" + team.teamId()
                    + ", the user's only team; add the route to team_allowed_routes.");
        }
        return team;
    }

    /**
     * A cut team list is not an empty one: the user's other teams, with their own models, blocks and budgets, are
     * simply missing, so no choice among the listed ones, and no "no teams" path, is the one LiteLLM would make.
     */
    private static void requireKnownTeams(TokenClaims claims) {
        if (claims.teamIdsOverage()) {
            throw AuthException.forbidden("team_ids_overage", "The token's team list is incomplete "
                    + "(team_ids_overage is true: the user is in more teams than the token may carry), so the teams "
                    + "this caller acts for are unknown. Raise the Keycloak mapper's teams.max, or name a single team "
                    + "in team_id.");
        }
    }

    /**
     * The first of the token's teams, in token order, that exists, may use every model (any team when none is
     * requested) and may call the route under {@code team_allowed_routes}.
     *
     * @param teamIds the token's team ids; looked up in order only until a team qualifies, ids without a row skipped
     * @param models  every model the request may use
     * @param route   the request path
     * @return the chosen team, or empty when none qualifies and no model was requested (or, with
     *         {@code team_claim_fallback}, when none of the teams exists)
     * @throws AuthException 403 when a model was requested and no team may use them all, or when the token lists no
     *                       team and {@code enforce_team_based_model_access} is on
     */
    Optional<Team> firstTeamWithAccess(List<String> teamIds, List<String> models, String route) {
        if (teamIds.isEmpty()) {
            if (policy.enforcesTeamBasedModelAccess() && !fallbackToDbTeams) {
                throw AuthException.forbidden("no_team_in_token", "No teams found in token. "
                        + "`enforce_team_based_model_access` is set to True. Token must belong to a team.");
            }
            return Optional.empty();
        }
        boolean anyTeamFound = false;
        if (policy.teamMayCall(route)) {
            for (String teamId : teamIds) {
                Optional<Team> team = teams.apply(teamId);
                anyTeamFound |= team.isPresent();
                if (team.isPresent() && permitsAll(team.get(), models)) {
                    return team;
                }
            }
        } else if (teamClaimFallback && !models.isEmpty()) {
            anyTeamFound = teamIds.stream().anyMatch(id -> teams.apply(id).isPresent());
        }
        // With team_claim_fallback, claims that name no existing team are left to the user's only team; a team that
        // exists but may not use the model is still a refusal.
        if (!models.isEmpty() && (anyTeamFound || !teamClaimFallback)) {
            throw AuthException.teamModelDenied("No team has access to the requested model"
                    + (models.size() == 1 ? "" : "s") + ": " + String.join(", ", models) + ". Checked teams="
                    + Messages.set(teamIds) + ". Check `/models` to see all available models.");
        }
        return Optional.empty();
    }

    private boolean permitsAll(Team team, List<String> models) {
        for (String model : models) {
            if (!ModelAccess.permits(team.models(), model, catalogue, team.modelAliases())) {
                return false;
            }
        }
        return true;
    }

    private Team requireTeam(String teamId) {
        return teams.apply(teamId).orElseThrow(() -> notFound(teamId));
    }

    private static AuthException notFound(String teamId) {
        return AuthException.notFound("team_not_found",
                "Team doesn't exist in db. Team=" + teamId + ". Create team via `/team/new` call.");
    }

    /** Where the team comes from, once the user is known. */
    public enum Source {
        /** The token (or a header among the token's teams) named it. */
        TOKEN,
        /** A header under {@code fallback_to_db_teams}: the user must be a member. */
        UNCONFIRMED_HEADER,
        /** {@code fallback_to_db_teams}: the first usable of the user's database teams. */
        USER_TEAMS,
        /** No team yet: the user's only database team, if the user has exactly one. */
        SINGLE_USER_TEAM
    }

    /**
     * What {@link #choose} decided.
     *
     * @param team   the team, for {@link Source#TOKEN} and {@link Source#UNCONFIRMED_HEADER}; else {@code null}
     * @param source where the team comes from
     * @param header the header value as sent, for {@link Source#UNCONFIRMED_HEADER}'s refusal
     */
    public record Choice(Team team, Source source, String header) {

        public Choice {
            Objects.requireNonNull(source, "source");
            if ((team != null) != (source == Source.TOKEN || source == Source.UNCONFIRMED_HEADER)) {
                throw new IllegalArgumentException("a " + source + " choice " + (team == null ? "needs" : "has no")
                        + " team");
            }
        }

        static Choice of(Team team) {
            return new Choice(Objects.requireNonNull(team, "team"), Source.TOKEN, null);
        }

        static Choice unconfirmedHeader(Team team, String header) {
            return new Choice(team, Source.UNCONFIRMED_HEADER, header);
        }

        static Choice fromUserTeams() {
            return new Choice(null, Source.USER_TEAMS, null);
        }

        static Choice singleUserTeam() {
            return new Choice(null, Source.SINGLE_USER_TEAM, null);
        }
    }
}
