package io.claimgate.gateway.http;

import io.claimgate.validator.AuthException;
import io.claimgate.validator.ErrorType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body into memory, refusing it with 413 as soon as it is known to be over the limit: before reading
 * when {@code Content-Length} says so, while reading otherwise (chunked bodies), so an endless body cannot exhaust
 * memory. The model must be read from the body before the request is authenticated, so it is held once, in full.
 */
public final class RequestBody {

    private RequestBody() {
    }

    /**
     * @throws AuthException 413 over the limit, 400 when the body cannot be read
     */
    public static byte[] read(Request request, long limit) {
        long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (declared > limit) {
            throw tooLarge(limit);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = Content.Source.asInputStream(request)) {
            long total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > limit) {
                    throw tooLarge(limit);
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            throw JsonResponses.badRequest("body_unreadable", "The request body could not be read", null);
        }
        return out.toByteArray();
    }

    private static AuthException tooLarge(long limit) {
        return new AuthException(413, ErrorType.BAD_REQUEST_ERROR, "request_too_large",
                "Request body is larger than the limit of " + limit + " bytes", null, null);
    }
}
