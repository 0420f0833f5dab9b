package io.claimgate.gateway.http;

import io.claimgate.validator.access.RouteMatcher;
import java.util.List;

/**
 * Which routes the reverse proxy forwards ({@code gateway.proxy_routes}): by default the inference routes whose every
 * model the gateway reads ({@link io.claimgate.gateway.config.GatewaySettings#DEFAULT_PROXY_ROUTES}).
 * The upstream's key, team, user, spend, MCP and UI routes run with the gateway's own upstream credential, so a caller
 * who may call one through the gateway effectively holds that credential; only proxy admins may, unless an operator
 * widens the list on purpose.
 */
public final class ProxyRoutes {

    private final RouteMatcher forwarded;

    /** @param entries routes ({@code /v1/chat/completions}, starlette templates) and LiteLLM route group names */
    public ProxyRoutes(List<String> entries) {
        this.forwarded = RouteMatcher.withTemplates(List.copyOf(entries));
    }

    /** Whether a caller who is not a proxy admin may have this route forwarded. */
    public boolean forwards(String route) {
        return forwarded.matches(route);
    }

    /** 404, as for a route that does not exist: the caller learns nothing about what is behind the gateway. */
    public static HttpError notForwarded(String route) {
        return HttpError.notFound("route_not_forwarded", "Route " + route + " is not served by this gateway");
    }
}
