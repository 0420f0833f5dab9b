package io.claimgate.gateway.config;

import java.util.Locale;

/**
 * Where {@code /auth} reads the route it decides about ({@code gateway.forward_auth.route_header}): exactly one
 * place, so that a header a client can set never stands in for the route the front proxy forwards.
 */
public enum RouteSource {

    /** {@code X-Original-URI}: set by the nginx recipe ({@code proxy_set_header X-Original-URI $request_uri}). */
    X_ORIGINAL_URI("x-original-uri"),
    /** {@code X-Forwarded-Uri}: set by Traefik's {@code forwardAuth} from the request it is forwarding. */
    X_FORWARDED_URI("x-forwarded-uri"),
    /** The path after {@code /auth}: Envoy's {@code ext_authz} appends the original path to its {@code path_prefix}. */
    PATH("path");

    private final String wireValue;

    RouteSource(String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value as written in {@code config.yaml}. */
    public String wireValue() {
        return wireValue;
    }

    /** The source for a configured value, or {@code null} when it names none. */
    public static RouteSource of(String value) {
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        for (RouteSource source : values()) {
            if (source.wireValue.equals(wanted)) {
                return source;
            }
        }
        return null;
    }
}
