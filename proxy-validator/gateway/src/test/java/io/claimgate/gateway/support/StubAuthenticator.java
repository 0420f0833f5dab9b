package io.claimgate.gateway.support;

import io.claimgate.model.AuthResult;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.Team;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.AuthRequest;
import io.claimgate.validator.Authenticator;
import io.claimgate.validator.Caller;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the JWT pipeline in server tests: fixed tokens, the route rules that matter here, and a record of
 * every request it saw. The real pipeline is tested on its own and end to end.
 */
public final class StubAuthenticator implements Authenticator {

    public static final String TEAM_TOKEN = "team-token";
    public static final String ADMIN_TOKEN = "admin-token";
    public static final String DENIED_MODEL = "gpt-forbidden";

    public final List<AuthRequest> seen = new CopyOnWriteArrayList<>();

    @Override
    public Caller identify(String token, String route) {
        AuthRequest identified = AuthRequest.of(token, route, null);
        seen.add(identified);
        if (token == null) {
            throw AuthException.unauthorized("token_missing", "No bearer token in Authorization");
        }
        if (token.equals(ADMIN_TOKEN)) {
            if (!route.startsWith("/team/") && !route.startsWith("/user/") && !route.startsWith("/organization/")
                    && !route.startsWith("/customer/")) {
                throw AuthException.forbidden("route_not_allowed", "Admin may not call " + route);
            }
            return Caller.decided(AuthResult.admin("admin", "admin@example.com", null, null, "0".repeat(64),
                    Long.MAX_VALUE));
        }
        if (token.equals(TEAM_TOKEN)) {
            if (route.startsWith("/team/")) {
                throw AuthException.forbidden("route_not_allowed", "Team tokens may not call " + route);
            }
            return new TeamCaller(identified);
        }
        throw AuthException.unauthorized("token_invalid", "Invalid token");
    }

    @Override
    public AuthResult authorize(Caller caller, AuthRequest request) {
        if (caller.decided().isPresent()) {
            return caller.decided().get();
        }
        // One entry per request: what the body added replaces what identify saw.
        seen.remove(((TeamCaller) caller).identified());
        seen.add(request);
        // Every model the request may use is checked, as the real pipeline does.
        if (request.models().contains(DENIED_MODEL)) {
            throw AuthException.teamModelDenied("Team research may not use model " + DENIED_MODEL);
        }
        Team team = new Team("research", "Research", null, List.of("gpt-4o", "claude"), null, 0, false, Map.of());
        return AuthResult.member(ProxyRole.TEAM, team, "alice", null, "alice@example.com", "acme", null,
                request.endUserId(), null, "1".repeat(64), Long.MAX_VALUE);
    }

    private record TeamCaller(AuthRequest identified) implements Caller {
        @Override
        public Optional<AuthResult> decided() {
            return Optional.empty();
        }
    }
}
