package io.claimgate.gateway.spend;

import io.claimgate.model.AuthResult;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.Team;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.AuthRequest;
import io.claimgate.validator.Authenticator;
import io.claimgate.validator.Caller;
import io.claimgate.validator.access.CommonChecks;
import io.claimgate.validator.store.Directory;
import java.util.Optional;

/**
 * The JWT pipeline's last steps over a real directory, with tokens that name their team: {@code team:<id>} is user
 * {@code user-<id>} of that team. The team is read from the database and checked as the real pipeline checks it
 * (blocked, budget), so what the gateway writes decides the next request.
 */
final class DirectoryAuthenticator implements Authenticator {

    private final Directory directory;

    DirectoryAuthenticator(Directory directory) {
        this.directory = directory;
    }

    static String token(String team) {
        return "team:" + team;
    }

    @Override
    public Caller identify(String token, String route) {
        if (token == null || !token.startsWith("team:")) {
            throw AuthException.unauthorized("token_invalid", "Invalid token");
        }
        return Optional::empty;
    }

    @Override
    public AuthResult authorize(Caller caller, AuthRequest request) {
        String teamId = request.token().substring("team:".length());
        Team team = directory.team(teamId).orElseThrow(() -> AuthException.forbidden("team_not_found",
                "Team=" + teamId + " not in database"));
        CommonChecks.verify(team, null, null, null, request.model(), request.route());
        return AuthResult.member(ProxyRole.TEAM, team, "user-" + teamId, null, null, null, null,
                request.endUserId(), null, "1".repeat(64), Long.MAX_VALUE);
    }
}
