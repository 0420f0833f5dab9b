package io.claimgate.validator.access;

import io.claimgate.model.JwtAuthSettings;
import io.claimgate.model.Team;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.claims.TokenClaims;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which team a request is made for when the token lists several: LiteLLM's {@code find_team_with_model_access} and
 * the {@code x-litellm-team-id} header rule of {@code resolve_team_from_header}. Pure; the caller loads the teams.
 */
public final class TeamSelection {

    private static final Pattern DOT_INDEX = Pattern.compile("(.+)\\.(\\d+)");
    private static final Pattern BRACKET_INDEX = Pattern.compile("(\\w+)\\[(\\d+)]");

    private final RouteMatcher teamRoutes;
    private final boolean enforceTeamBasedModelAccess;
    private final String teamIdField;
    private final String teamAliasField;

    public TeamSelection(JwtAuthSettings settings) {
        Objects.requireNonNull(settings, "settings");
        teamRoutes = RouteMatcher.of(settings.teamAllowedRoutes());
        enforceTeamBasedModelAccess = settings.enforceTeamBasedModelAccess();
        teamIdField = settings.teamIdJwtField();
        teamAliasField = settings.teamAliasJwtField();
    }

    /**
     * Whether every token must name a team: LiteLLM's {@code is_required_team_id}, true once
     * {@code team_id_jwt_field} or {@code team_alias_jwt_field} is set.
     */
    public boolean teamRequired() {
        return teamIdField != null || teamAliasField != null;
    }

    /**
     * The refusal for a token that names no team although {@link #teamRequired()}: LiteLLM's message, with its hint
     * when the field tries list indexing ({@code roles.0}, {@code roles[0]}), which claim paths do not support.
     */
    public AuthException missingTeam() {
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
     * @throws AuthException 403 when the header names a team the token does not carry
     */
    public static String headerTeam(String header, TokenClaims claims) {
        if (header == null || header.isBlank()) {
            return null;
        }
        TreeSet<String> allowed = new TreeSet<>(claims.teamIds());
        if (claims.teamId() != null) {
            allowed.add(claims.teamId());
        }
        if (!allowed.contains(header)) {
            throw AuthException.forbidden("team_header_not_allowed", "x-litellm-team-id '" + header
                    + "' does not resolve to a team id or a unique team alias in your JWT's allowed teams. "
                    + "Allowed team ids: " + Messages.list(new ArrayList<>(allowed)));
        }
        return header;
    }

    /**
     * The first of the token's teams, in token order, that exists, may call the model (any model when none is
     * requested) and may call the route under {@code team_allowed_routes}.
     *
     * @param teamIds the token's team ids
     * @param teams   looks a team up by id; called in token order only until a team qualifies, so a request for a
     *                model the first team has costs one lookup; ids without a row are skipped
     * @param model   the requested model, or {@code null}
     * @param route   the request path
     * @return the chosen team, or empty when none qualifies and no model was requested
     * @throws AuthException 403 when a model was requested and no team may call it, or when the token lists no team
     *                       and {@code enforce_team_based_model_access} is on
     */
    public Optional<Team> firstTeamWithAccess(List<String> teamIds, Function<String, Optional<Team>> teams,
                                              String model, String route) {
        if (teamIds.isEmpty()) {
            if (enforceTeamBasedModelAccess) {
                throw AuthException.forbidden("no_team_in_token", "No teams found in token. "
                        + "`enforce_team_based_model_access` is set to True. Token must belong to a team.");
            }
            return Optional.empty();
        }
        if (teamRoutes.matches(route)) {
            for (String teamId : teamIds) {
                Optional<Team> team = teams.apply(teamId);
                if (team.isPresent() && ModelAccess.permits(team.get().models(), model)) {
                    return team;
                }
            }
        }
        if (model != null) {
            throw AuthException.teamModelDenied("No team has access to the requested model: " + model
                    + ". Checked teams=" + Messages.set(teamIds) + ". Check `/models` to see all available models.");
        }
        return Optional.empty();
    }
}
