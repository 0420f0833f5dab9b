package io.claimgate.validator.access;

import io.claimgate.model.JwtAuthSettings;
import io.claimgate.model.Team;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.claims.TokenClaims;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which team a request is made for when the token lists several: LiteLLM's {@code find_team_with_model_access} and
 * the {@code x-litellm-team-id} header rule of {@code resolve_team_from_header}. Pure; the caller loads the teams.
 */
public final class TeamSelection {

    private final RouteMatcher teamRoutes;
    private final boolean enforceTeamBasedModelAccess;

    public TeamSelection(JwtAuthSettings settings) {
        Objects.requireNonNull(settings, "settings");
        teamRoutes = RouteMatcher.of(settings.teamAllowedRoutes());
        enforceTeamBasedModelAccess = settings.enforceTeamBasedModelAccess();
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
     * @param teams   the teams loaded for those ids; ids without a row are skipped
     * @param model   the requested model, or {@code null}
     * @param route   the request path
     * @return the chosen team, or empty when none qualifies and no model was requested
     * @throws AuthException 403 when a model was requested and no team may call it, or when the token lists no team
     *                       and {@code enforce_team_based_model_access} is on
     */
    public Optional<Team> firstTeamWithAccess(List<String> teamIds, Map<String, Team> teams, String model,
                                              String route) {
        if (teamIds.isEmpty()) {
            if (enforceTeamBasedModelAccess) {
                throw AuthException.forbidden("no_team_in_token", "No teams found in token. "
                        + "`enforce_team_based_model_access` is set to True. Token must belong to a team.");
            }
            return Optional.empty();
        }
        for (String teamId : teamIds) {
            Team team = teams.get(teamId);
            if (team != null && ModelAccess.of(team.models()).allows(model) && teamRoutes.matches(route)) {
                return Optional.of(team);
            }
        }
        if (model != null) {
            throw AuthException.teamModelDenied("No team has access to the requested model: " + model
                    + ". Checked teams=" + Messages.set(teamIds) + ". Check `/models` to see all available models.");
        }
        return Optional.empty();
    }
}
