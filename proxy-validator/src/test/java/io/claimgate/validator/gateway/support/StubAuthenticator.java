package io.claimgate.validator.gateway.support;

import io.claimgate.model.AuthResult;
import io.claimgate.model.ProxyRole;
import io.claimgate.model.Team;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.AuthRequest;
import io.claimgate.validator.Authenticator;
import java.util.List;
import java.util.Map;
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
    public AuthResult authenticate(AuthRequest request) {
        seen.add(request);
        if (request.token() == null) {
            throw AuthException.unauthorized("token_missing", "No bearer token in Authorization");
        }
        if (request.token().equals(ADMIN_TOKEN)) {
            if (!request.route().startsWith("/team/") && !request.route().startsWith("/user/")
                    && !request.route().startsWith("/organization/") && !request.route().startsWith("/customer/")) {
                throw AuthException.forbidden("route_not_allowed", "Admin may not call " + request.route());
            }
            return new AuthResult(true, ProxyRole.PROXY_ADMIN, null, null, "admin", null, "admin@example.com", null,
                    null, null, null, "0".repeat(64), Long.MAX_VALUE);
        }
        if (request.token().equals(TEAM_TOKEN)) {
            if (request.route().startsWith("/team/")) {
                throw AuthException.forbidden("route_not_allowed", "Team tokens may not call " + request.route());
            }
            if (DENIED_MODEL.equals(request.model())) {
                throw AuthException.teamModelDenied("Team research may not use model " + request.model());
            }
            Team team = new Team("research", "Research", null, List.of("gpt-4o", "claude"), null, 0, false,
                    Map.of());
            return new AuthResult(false, ProxyRole.TEAM, "research", team, "alice", null, "alice@example.com",
                    "acme", null, request.endUserId(), null, "1".repeat(64), Long.MAX_VALUE);
        }
        throw AuthException.unauthorized("token_invalid", "Invalid token");
    }
}
