package io.claimgate.gateway.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Reads a request body into memory with a blocking read, refusing it with 413 as soon as it is known to be over the
 * limit: before reading when {@code Content-Length} says so, while reading otherwise (chunked bodies), so an endless
 * body cannot exhaust memory. Nothing is allocated from the declared length. For the management API, whose callers
 * are proxy admins authenticated before the body is read; the reverse proxy reads with {@link BodyReader}, which
 * parks no thread.
 */
public final class RequestBody {

    private RequestBody() {
    }

    /**
     * @throws HttpError 413 over the limit, 400 when the body cannot be read
     */
    public static byte[] read(Request request, long limit) {
        long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (declared > limit) {
            throw tooLarge(limit);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
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

    private static HttpError tooLarge(long limit) {
        return HttpError.badRequest(413, "request_too_large", "Request body is larger than the limit of " + limit
                + " bytes", null);
    }
}
