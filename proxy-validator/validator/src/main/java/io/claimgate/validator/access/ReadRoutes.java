package io.claimgate.validator.access;

import java.util.List;

/**
 * Which routes only read: those whose last segment is {@code info} or {@code list} ({@code /team/info},
 * {@code /user/list}, {@code /v2/team/list}, {@code /key/info}, ...). LiteLLM tells a {@code proxy_admin_viewer}'s
 * reads by the HTTP method ({@code _check_proxy_admin_viewer_access}); the route stage runs before the method is
 * looked at and for forwarded requests too, so Claimgate judges by the path, which no write in LiteLLM's route groups
 * shares. The gateway's own management API adds the method: its reads answer {@code GET} only.
 */
public final class ReadRoutes {

    private static final List<String> READ_SEGMENTS = List.of("info", "list");

    private ReadRoutes() {
    }

    /** Whether the route (a path without query string) is a read. */
    public static boolean isRead(String route) {
        if (route == null) {
            return false;
        }
        int slash = route.lastIndexOf('/');
        return slash >= 0 && READ_SEGMENTS.contains(route.substring(slash + 1));
    }
}
