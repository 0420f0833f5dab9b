package io.claimgate.gateway.http;

import io.claimgate.model.AuthResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code X-Auth-Request-*} headers that tell the proxy behind the gateway who is calling (the names of oauth2-proxy,
 * which nginx, Traefik and Envoy setups already know). Only what is known is sent, and only as what the next hop will
 * read: printable ASCII.
 */
public final class IdentityHeaders {

    public static final String USER = "X-Auth-Request-User";
    public static final String EMAIL = "X-Auth-Request-Email";
    public static final String TEAM = "X-Auth-Request-Team";
    public static final String ROLE = "X-Auth-Request-Role";
    public static final String ORG = "X-Auth-Request-Org";
    public static final String END_USER = "X-Auth-Request-End-User";

    /** Every header this class writes; a client's own copies are removed before forwarding. */
    public static final List<String> ALL = List.of(USER, EMAIL, TEAM, ROLE, ORG, END_USER);

    /** {@link #ALL} in lower case, for the per-request check of what a caller sent. */
    static final Set<String> LOWER_CASE = ALL.stream().map(h -> h.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());

    private IdentityHeaders() {
    }

    /** The headers for this caller, in a stable order, each only when known. */
    public static Map<String, String> of(AuthResult result) {
        Map<String, String> headers = new LinkedHashMap<>();
        put(headers, USER, result.userId());
        put(headers, EMAIL, result.userEmail());
        put(headers, TEAM, result.teamId());
        put(headers, ROLE, result.role() == null ? null : result.role().wireValue());
        put(headers, ORG, result.orgId());
        put(headers, END_USER, result.endUserId());
        return headers;
    }

    private static void put(Map<String, String> headers, String name, String value) {
        if (value != null && !value.isEmpty() && sendable(value)) {
            headers.put(name, value);
        }
    }

    /**
     * Whether the value reaches the next hop as it is; if not, it is not sent. A line break would let a claim inject
     * headers, and other control characters are refused downstream. Nor anything beyond ASCII: a header is bytes, and
     * the encoder writes a character beyond Latin-1 as {@code ?}, so two users named in another script would arrive as
     * the same {@code ??}, and Latin-1's {@code é} as a byte no UTF-8 reader decodes. A loop, not
     * {@code chars().noneMatch}: this runs for every header of every proxied request, and the stream allocated five
     * objects each time.
     */
    private static boolean sendable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
