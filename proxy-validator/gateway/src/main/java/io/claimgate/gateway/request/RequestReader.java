package io.claimgate.gateway.request;

import io.claimgate.gateway.http.HttpError;
import java.util.Locale;

/**
 * Reads what a request names (every model the upstream may call, the end user) the way the upstream LiteLLM proxy
 * reads it, so that the gateway authorises exactly what the upstream will execute. Anything two readers could read
 * differently is refused with 400 in LiteLLM's error shape; docs/request-reading.md lists every place read and the
 * LiteLLM code it follows.
 *
 * <p>Places, all of which must agree on the one model a request runs on:
 * <ul>
 *   <li>the path: {@code /engines/{model}/...}, {@code /openai/deployments/{model}/...},
 *       {@code /v1beta/models/{model}:generateContent} and the like ({@link PathModel});</li>
 *   <li>the query string: {@code model}, {@code target_model_names} ({@link QueryString});</li>
 *   <li>the body, JSON whatever its {@code Content-Type}, or a urlencoded or multipart form: {@code model}, fallbacks,
 *       target models, the end user ({@link BodyFields});</li>
 *   <li>the {@code x-litellm-end-user-id} header, read by {@link EndUserHeader}.</li>
 * </ul>
 * A comma-separated model ({@code "gpt-4o,claude"}) names each of its models.
 */
public final class RequestReader {

    private RequestReader() {
    }

    /**
     * What the route and the query string alone name: enough to decide before the body is read.
     *
     * @param route    the route as {@code RoutePath.of} returns it (percent-decoded, no query string)
     * @param rawQuery the query string as received (still encoded), or {@code null}
     * @throws io.claimgate.gateway.http.HttpError 400 when the path and query string name different models
     */
    public static RequestedAccess fromRoute(String route, String rawQuery) {
        Reading reading = new Reading();
        readRoute(route, rawQuery, reading);
        return reading.toAccess();
    }

    /** {@link #read(String, String, String, byte[], String)} without an end-user header. */
    public static RequestedAccess read(String route, String rawQuery, String contentType, byte[] body) {
        return read(route, rawQuery, contentType, body, null);
    }

    /**
     * What the route, the query string, the body and the end-user header name.
     *
     * @param contentType   the request's {@code Content-Type}, or {@code null}
     * @param body          the whole body (empty for none)
     * @param endUserHeader the end user the headers name ({@link EndUserHeader#from}), or {@code null}
     * @throws io.claimgate.gateway.http.HttpError 400 for anything ambiguous or unreadable
     */
    public static RequestedAccess read(String route, String rawQuery, String contentType, byte[] body,
                                       String endUserHeader) {
        Reading reading = new Reading();
        readRoute(route, rawQuery, reading);
        reading.endUser("header '" + EndUserHeader.END_USER_ID + "'", endUserHeader);
        if (body != null && body.length > 0) {
            readBody(contentType == null ? "" : contentType, body, reading);
        }
        return reading.toAccess();
    }

    private static void readRoute(String route, String rawQuery, Reading reading) {
        reading.model("path", PathModel.of(route));
        QueryString.read(rawQuery, reading);
    }

    private static void readBody(String contentType, byte[] body, Reading reading) {
        int semicolon = contentType.indexOf(';');
        String mediaType = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip()
                .toLowerCase(Locale.ROOT);
        if (mediaType.equals("multipart/form-data")) {
            HeaderValue type = HeaderValue.parse(contentType, "the Content-Type");
            BodyFields.read(MultipartForm.read(type, body).members(), "form body", reading);
            return;
        }
        if (mediaType.equals("application/x-www-form-urlencoded")) {
            // Starlette reads this as a form; a JSON body sent with curl's default type is read as JSON as well, so
            // that whichever reading the upstream applies, its models are checked.
            BodyFields.read(UrlEncodedForm.read(body).members(), "form body", reading);
        }
        if (JsonBody.looksLikeObject(body)) {
            BodyFields.read(JsonBody.members(body), "body", reading);
        } else if (JsonBody.looksLikeOtherJson(body)) {
            JsonBody.refuseNonObject(body);
        }
    }
}
