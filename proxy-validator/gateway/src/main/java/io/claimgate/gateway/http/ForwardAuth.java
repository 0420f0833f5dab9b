package io.claimgate.gateway.http;

import io.claimgate.model.AuthResult;
import io.claimgate.validator.AuthRequest;
import io.claimgate.validator.Authenticator;
import java.util.Objects;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET|POST /auth}: the decision alone, for a front proxy that forwards by itself (nginx {@code auth_request},
 * Traefik {@code forwardAuth}, Envoy {@code ext_authz} over HTTP).
 *
 * <p>The route comes from {@code X-Forwarded-Uri} (Traefik), else {@code X-Original-URI} (nginx), else the path after
 * {@code /auth} (Envoy appends the original path to its {@code path_prefix}). The body is never read: front proxies
 * do not send it, so the model comes from {@code X-Model}.
 */
public final class ForwardAuth {

    public static final String PATH = "/auth";
    public static final String FORWARDED_URI = "X-Forwarded-Uri";
    public static final String ORIGINAL_URI = "X-Original-URI";
    public static final String MODEL = "X-Model";
    public static final String TEAM = "x-litellm-team-id";

    private final Authenticator authenticator;

    public ForwardAuth(Authenticator authenticator) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    }

    /** Whether this path is the forward-auth endpoint (with or without Envoy's appended path). */
    public static boolean handles(String rawPath) {
        return rawPath.equals(PATH) || rawPath.startsWith(PATH + "/");
    }

    /**
     * Answers 200 with the identity headers when allowed.
     *
     * @throws io.claimgate.validator.AuthException when refused, for the caller to render
     */
    public void handle(Request request, Response response, Callback callback) {
        HttpFields headers = request.getHeaders();
        String raw = headers.get(FORWARDED_URI);
        if (raw == null) {
            raw = headers.get(ORIGINAL_URI);
        }
        String path = request.getHttpURI().getPath();
        if (raw == null && path.length() > PATH.length()) {
            raw = path.substring(PATH.length());
        }
        if (raw == null) {
            throw JsonResponses.badRequest("route_missing",
                    "No route to authorize: send X-Forwarded-Uri or X-Original-URI", FORWARDED_URI);
        }
        AuthRequest authRequest = new AuthRequest(BearerToken.from(headers), RoutePath.of(raw),
                modelList(blankToNull(headers.get(MODEL))), blankToNull(headers.get(TEAM)), null);
        AuthResult result = authenticator.authenticate(authRequest);
        response.setStatus(200);
        IdentityHeaders.of(result).forEach((name, value) -> response.getHeaders().put(name, value));
        response.getHeaders().put("Cache-Control", "no-store");
        response.write(true, null, callback);
    }

    private static java.util.List<String> modelList(String model) {
        return model == null ? java.util.List.of() : java.util.List.of(model);
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
