package io.claimgate.validator;

import java.util.Objects;

/**
 * What the proxy knows of a request before it is authenticated.
 *
 * @param token           the bearer token, without the {@code Bearer } prefix, or {@code null} when none was sent
 * @param route           the request path, without query string, e.g. {@code /chat/completions}
 * @param model           the requested model, or {@code null} when the request names none
 * @param requestedTeamId the {@code x-litellm-team-id} header, or {@code null}
 * @param endUserId       the end user named by the request body's {@code user} field, or {@code null}
 */
public record AuthRequest(String token, String route, String model, String requestedTeamId, String endUserId) {

    public AuthRequest {
        Objects.requireNonNull(route, "route");
    }

    /** A request with only a token, a route and a model. */
    public static AuthRequest of(String token, String route, String model) {
        return new AuthRequest(token, route, model, null, null);
    }

    @Override
    public String toString() {
        // Never the token: requests are logged.
        return "AuthRequest[route=" + route + ", model=" + model + ", team=" + requestedTeamId + ", endUser="
                + endUserId + ", token=" + (token == null ? "none" : "present") + "]";
    }
}
