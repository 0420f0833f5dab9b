package io.claimgate.validator.access;

import io.claimgate.model.ClaimFields;
import io.claimgate.model.Team;
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
 * The team a request is made for, in LiteLLM's order ({@code auth_builder}, {@code resolve_team_from_header},
 * {@code find_team_with_model_access}):
 *
 * <ol>
 *   <li>the {@code x-litellm-team-id} header, which must name one of the token's teams;</li>
 *   <li>the role's object id ({@code object_id_jwt_field} for a team role);</li>
 *   <li>the token's team id, or {@code team_id_default};</li>
 *   <li>the team alias, looked up by {@code team_alias};</li>
 *   <li>refused when {@code team_id_jwt_field} or {@code team_alias_jwt_field} is set and the token lists no teams
 *       ({@code is_required_team_id});</li>
 *   <li>the first of {@code team_ids}, in token order, that exists and may use every model the request names.</li>
 * </ol>
 * A token whose team list was cut short ({@code team_ids_overage}) is refused wherever that list would decide. The
 * decision is pure; teams are read through the lookups it is given (the directory's), and only as far as the rules
 * need them.
 */
public final class TeamChoice {

    private static final Pattern DOT_INDEX = Pattern.compile("(.+)\\.(\\d+)");
    private static final Pattern BRACKET_INDEX = Pattern.compile("(\\w+)\\[(\\d+)]");

    private final Function<String, Optional<Team>> teams;
    private final Function<String, Optional<Team>> teamsByAlias;
    private final AccessPolicy policy;
    private final String teamIdField;
    private final String teamAliasField;
    private final ModelCatalogue catalogue;

    /**
     * @param claims       where the token names its team, which makes a team required
     * @param policy       the access policy whose {@code team_allowed_routes} and
     *                     {@code enforce_team_based_model_access} apply; its route matcher is reused, not compiled
     *                     again
     * @param teams        finds a team by id
     * @param teamsByAlias finds a team by alias
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
    }

    /**
     * Chooses the team.
     *
     * @param claims       the token's claims
     * @param role         the token's role, or {@code null}
     * @param headerTeamId the {@code x-litellm-team-id} header, or {@code null}
     * @param models       every model the request may use; empty when it names none
     * @param route        the request path
     * @return the team, or {@code null} when the request is made for none
     * @throws AuthException 404 for a named team that is not in the database, 403 when no team qualifies or the
     *                       token's teams are unknown
     */
    public Team choose(TokenClaims claims, RoleResolution role, String headerTeamId, List<String> models,
                       String route) {
        String fromHeader = headerTeam(headerTeamId, claims);
        if (fromHeader != null) {
            return requireTeam(fromHeader);
        }
        String objectTeamId = role == null ? null : role.objectTeamId();
        if (objectTeamId != null) {
            return requireTeam(objectTeamId);
        }
        if (claims.teamId() != null) {
            return requireTeam(claims.teamId());
        }
        if (claims.teamAlias() != null) {
            return teamsByAlias.apply(claims.teamAlias()).orElseThrow(() -> AuthException.notFound(
                    "team_not_found", "Team doesn't exist in db. Team alias=" + claims.teamAlias()
                            + ". Create team via `/team/new` call."));
        }
        requireKnownTeams(claims);
        if (claims.teamIds().isEmpty() && teamRequired()) {
            // A token that lists teams instead goes on to the team_ids choice below: Keycloak users in several teams
            // carry team_ids and no single team_id.
            throw missingTeam();
        }
        return firstTeamWithAccess(claims.teamIds(), models, route).orElse(null);
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
     * The team named by the {@code x-litellm-team-id} header, which must be one of the token's teams
     * ({@code team_ids} plus the single team id, default included).
     *
     * @return the header's team id, or {@code null} when the header is absent or blank
     * @throws AuthException 403 when the header names a team the token does not carry, or the token's list is cut
     */
    static String headerTeam(String header, TokenClaims claims) {
        if (header == null || header.isBlank()) {
            return null;
        }
        TreeSet<String> allowed = new TreeSet<>(claims.teamIds());
        if (claims.teamId() != null) {
            allowed.add(claims.teamId());
        }
        if (!allowed.contains(header)) {
            requireKnownTeams(claims);
            throw AuthException.forbidden("team_header_not_allowed", "x-litellm-team-id '" + header
                    + "' does not resolve to a team id or a unique team alias in your JWT's allowed teams. "
                    + "Allowed team ids: " + Messages.list(new ArrayList<>(allowed)));
        }
        return header;
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
     * @return the chosen team, or empty when none qualifies and no model was requested
     * @throws AuthException 403 when a model was requested and no team may use them all, or when the token lists no
     *                       team and {@code enforce_team_based_model_access} is on
     */
    Optional<Team> firstTeamWithAccess(List<String> teamIds, List<String> models, String route) {
        if (teamIds.isEmpty()) {
            if (policy.enforcesTeamBasedModelAccess()) {
                throw AuthException.forbidden("no_team_in_token", "No teams found in token. "
                        + "`enforce_team_based_model_access` is set to True. Token must belong to a team.");
            }
            return Optional.empty();
        }
        if (policy.teamMayCall(route)) {
            for (String teamId : teamIds) {
                Optional<Team> team = teams.apply(teamId);
                if (team.isPresent() && permitsAll(team.get(), models)) {
                    return team;
                }
            }
        }
        if (!models.isEmpty()) {
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
        return teams.apply(teamId).orElseThrow(() -> AuthException.notFound("team_not_found",
                "Team doesn't exist in db. Team=" + teamId + ". Create team via `/team/new` call."));
    }
}
