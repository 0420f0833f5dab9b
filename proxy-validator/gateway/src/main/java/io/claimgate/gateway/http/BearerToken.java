package io.claimgate.gateway.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import io.netty.handler.codec.http.HttpHeaders;

/**
 * The caller's credential, read from every header a LiteLLM proxy reads a key from (user_api_key_auth.get_api_key):
 * {@code x-litellm-api-key} ({@code Bearer } optional), {@code Authorization: Bearer}, {@code api-key} (Azure),
 * {@code x-api-key} (Anthropic), {@code x-goog-api-key} (Google AI Studio) and {@code Ocp-Apim-Subscription-Key}
 * (Azure API Management), plus the header {@code general_settings.litellm_key_header_name} names, if any. Clients
 * written for those APIs send the JWT where their SDK puts a key.
 *
 * <p>LiteLLM takes the first of these headers present, in that order (the custom header overriding all of them); another
 * reader might take another. So a request that carries two different credentials (in two headers, or one header
 * repeated) is refused with 400 rather than having one of them silently win; the same credential sent twice is fine.
 */
public final class BearerToken {

    /** Every header a credential is read from without a custom header, lower-case; none may reach the upstream. */
    public static final List<String> HEADERS = List.of("x-litellm-api-key", "authorization", "api-key", "x-api-key",
            "x-goog-api-key", "ocp-apim-subscription-key");

    /** LiteLLM's built-in headers only: no {@code litellm_key_header_name} is configured. */
    public static final BearerToken BUILT_IN = new BearerToken(null);

    private static final String BEARER = "bearer ";

    /** Lower-case, or {@code null}. */
    private final String customHeader;
    /** In LiteLLM's order of precedence: the custom header first. */
    private final List<String> readOrder;
    private final Set<String> headers;

    private BearerToken(String customHeader) {
        this.customHeader = customHeader;
        List<String> order = new ArrayList<>();
        if (customHeader != null) {
            order.add(customHeader);
        }
        HEADERS.stream().filter(h -> !h.equals(customHeader)).forEach(order::add);
        this.readOrder = List.copyOf(order);
        this.headers = Set.copyOf(order);
    }

    /**
     * Reading LiteLLM's built-in headers and, when set, {@code general_settings.litellm_key_header_name}.
     *
     * @param litellmKeyHeaderName the custom header's name, any case, or {@code null} for none
     */
    public static BearerToken reading(String litellmKeyHeaderName) {
        return litellmKeyHeaderName == null ? BUILT_IN
                : new BearerToken(litellmKeyHeaderName.strip().toLowerCase(Locale.ROOT));
    }

    /** With LiteLLM's built-in headers only ({@link #BUILT_IN}). */
    public static String from(HttpHeaders headers) {
        return BUILT_IN.read(headers);
    }

    /** Every header this reads a credential from, lower-case: the reverse proxy strips them all before forwarding. */
    public Set<String> headers() {
        return headers;
    }

    /**
     * The credential, or {@code null} when no header carries one ({@code Authorization} or the custom header with a
     * scheme other than {@code Bearer} carries none): the authenticator then answers 401, as for a missing token.
     *
     * @throws io.claimgate.gateway.http.HttpError 400 when the headers carry two different credentials
     */
    public String read(HttpHeaders fields) {
        String credential = null;
        String foundIn = null;
        for (String header : readOrder) {
            for (String value : fields.getAll(header)) {
                String token = token(header, value);
                if (token == null) {
                    continue;
                }
                if (credential != null && !credential.equals(token)) {
                    throw JsonResponses.badRequest("conflicting_credentials", "The request carries two different "
                            + "credentials (" + foundIn + " and " + header + "); send one", null);
                }
                credential = token;
                foundIn = header;
            }
        }
        return credential;
    }

    private String token(String header, String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        boolean bearer = trimmed.regionMatches(true, 0, BEARER, 0, BEARER.length());
        // LiteLLM reads the custom header with _get_bearer_token, as Authorization: a bare value there is no key.
        boolean schemeRequired = header.equals("authorization")
                || header.equals(customHeader) && !HEADERS.contains(customHeader);
        if (schemeRequired && !bearer) {
            return null;
        }
        // x-litellm-api-key takes the scheme or not; Azure, Anthropic and Google clients send the bare key.
        boolean takesScheme = schemeRequired || header.equals("x-litellm-api-key");
        String token = (bearer && takesScheme ? trimmed.substring(BEARER.length()) : trimmed).strip();
        return token.isEmpty() ? null : token;
    }
}
