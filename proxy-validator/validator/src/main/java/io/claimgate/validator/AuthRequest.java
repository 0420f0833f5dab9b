package io.claimgate.validator;

import java.util.List;
import java.util.Objects;

/**
 * What the proxy knows of a request before it is authenticated.
 *
 * @param token           the bearer token, without the {@code Bearer } prefix, or {@code null} when none was sent
 * @param route           the request path, without query string, e.g. {@code /chat/completions}
 * @param models          every model the upstream may use for this request (the requested one, its fallbacks, ...),
 *                        in the order the request names them; empty when it names none. Each one is authorized.
 * @param requestedTeamId the {@code x-litellm-team-id} header, or {@code null}
 * @param endUserId       the end user the request names (the body's {@code user} field), or {@code null}
 */
public record AuthRequest(String token, String route, List<String> models, String requestedTeamId, String endUserId) {

    public AuthRequest {
        Objects.requireNonNull(route, "route");
        models = models == null ? List.of() : List.copyOf(models);
    }

    /** A request with only a token, a route and at most one model. */
    public static AuthRequest of(String token, String route, String model) {
        return new AuthRequest(token, route, model == null ? List.of() : List.of(model), null, null);
    }

    /** The first model the request names (the one it asks for), or {@code null}. */
    public String model() {
        return models.isEmpty() ? null : models.get(0);
    }

    @Override
    public String toString() {
        // Never the token: requests are logged.
        return "AuthRequest[route=" + route + ", models=" + models + ", team=" + requestedTeamId + ", endUser="
                + endUserId + ", token=" + (token == null ? "none" : "present") + "]";
    }
}
