package io.claimgate.gateway.http;

import java.util.List;
import org.eclipse.jetty.http.HttpFields;

/**
 * The caller's credential, read from every header a LiteLLM proxy reads a key from (user_api_key_auth.get_api_key):
 * {@code x-litellm-api-key} ({@code Bearer } optional), {@code Authorization: Bearer}, {@code api-key} (Azure),
 * {@code x-api-key} (Anthropic), {@code x-goog-api-key} (Google AI Studio) and {@code Ocp-Apim-Subscription-Key}
 * (Azure API Management). Clients written for those APIs send the JWT where their SDK puts a key.
 *
 * <p>LiteLLM takes the first of these headers present, in that order; another reader might take another. So a request
 * that carries two different credentials (in two headers, or one header repeated) is refused with 400 rather than
 * having one of them silently win; the same credential sent twice is fine.
 */
public final class BearerToken {

    /** Every header a credential is read from, lower-case; none of them may reach the upstream. */
    public static final List<String> HEADERS = List.of("x-litellm-api-key", "authorization", "api-key", "x-api-key",
            "x-goog-api-key", "ocp-apim-subscription-key");

    private static final String BEARER = "bearer ";

    private BearerToken() {
    }

    /**
     * The credential, or {@code null} when no header carries one ({@code Authorization} with a scheme other than
     * {@code Bearer} carries none): the authenticator then answers 401, as for a missing token.
     *
     * @throws io.claimgate.gateway.http.HttpError 400 when the headers carry two different credentials
     */
    public static String from(HttpFields headers) {
        String credential = null;
        String foundIn = null;
        for (String header : HEADERS) {
            for (String value : headers.getValuesList(header)) {
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

    private static String token(String header, String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        boolean bearer = trimmed.regionMatches(true, 0, BEARER, 0, BEARER.length());
        boolean authorization = header.equals("authorization");
        if (authorization && !bearer) {
            return null;
        }
        // Only these two take a scheme; Azure, Anthropic and Google clients send the bare key.
        boolean takesScheme = authorization || header.equals("x-litellm-api-key");
        String token = (bearer && takesScheme ? trimmed.substring(BEARER.length()) : trimmed).strip();
        return token.isEmpty() ? null : token;
    }
}
