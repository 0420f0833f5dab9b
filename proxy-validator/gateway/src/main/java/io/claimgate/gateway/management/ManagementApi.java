package io.claimgate.gateway.management;

import com.fasterxml.jackson.core.JacksonException;
import io.claimgate.model.AuthResult;
import io.claimgate.validator.AuthException;
import io.claimgate.validator.ErrorType;
import io.claimgate.validator.access.ReadRoutes;
import io.claimgate.gateway.http.JsonResponses;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * LiteLLM's management API for teams and their members, internal users, organizations and customers (end users),
 * with LiteLLM's paths and field names, over LiteLLM's tables.
 *
 * <p>The caller has already been established as a proxy admin. Each call runs in one transaction; after it commits,
 * the {@link ObjectChangeListener} is told what changed, so the next request sees the change at once. Reads
 * ({@code /info}, {@code /list}) take query parameters with {@code GET}; changes take a JSON body with {@code POST}
 * (LiteLLM's {@code PATCH /organization/update} and {@code DELETE /organization/delete} are accepted too).
 */
public final class ManagementApi {

    private final DataSource dataSource;
    private final long maxBodyBytes;
    private final Map<String, Operation> routes = new HashMap<>();

    /**
     * @param dataSource   the database with LiteLLM's tables
     * @param listener     told of every change after it commits
     * @param maxBodyBytes larger bodies are refused with 413
     */
    public ManagementApi(DataSource dataSource, ObjectChangeListener listener, long maxBodyBytes) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.maxBodyBytes = maxBodyBytes;
        Objects.requireNonNull(listener, "listener");
        new Teams(listener).register(routes);
        new Members(listener).register(routes);
        new Users(listener).register(routes);
        new Organizations(listener).register(routes);
        new Customers(listener).register(routes);
    }

    /** The routes this API serves. */
    public Set<String> routes() {
        return Set.copyOf(routes.keySet());
    }

    /** Whether this route is a management route. */
    public boolean handles(String route) {
        return routes.containsKey(route);
    }

    /** The largest body a change may send; larger ones are refused with 413 while reading. */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /**
     * Refuses a call whose method does not fit its route, before its body is read.
     *
     * @throws AuthException 405: reads take {@code GET}, changes {@code POST}
     */
    public void checkMethod(String method, String route) {
        // The same test the admin gate lets a proxy_admin_viewer through with: a read never writes.
        boolean read = ReadRoutes.isRead(route);
        if (read != method.equals("GET")) {
            throw new AuthException(405, ErrorType.BAD_REQUEST_ERROR, "method_not_allowed",
                    route + " takes " + (read ? "GET" : "POST"), null, null);
        }
    }

    /**
     * Serves a management call for an admin: one transaction, the change announced after it commits.
     *
     * @param rawQuery the query string as sent, or {@code null}
     * @param body     the body as read (ignored for reads)
     * @return the answer, written as JSON with 200
     * @throws AuthException 400 for an invalid request, 404 for a missing object, 405, 503 without database
     */
    public Object handle(String method, String route, String rawQuery, byte[] body, AuthResult caller) {
        checkMethod(method, route);
        Map<String, Object> parsed = ReadRoutes.isRead(route) ? Map.of() : body(body);
        Call call = new Call(parsed, query(rawQuery), caller);
        Object answer = run(route, call);
        call.afterCommit().forEach(Runnable::run);
        return answer;
    }

    private Object run(String route, Call call) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                Object answer = routes.get(route).apply(call, connection);
                connection.commit();
                return answer;
            } catch (SQLException | RuntimeException e) {
                rollback(connection, e);
                throw e;
            }
        } catch (SQLException e) {
            throw Rows.failure(route, e);
        }
    }

    /**
     * Rolls back, keeping the operation's failure as the one that counts: when the database went away mid-request the
     * rollback fails too ("Connection is closed", no SQLState), and letting it replace the original (SQLState 08...)
     * would turn a {@code database_unavailable} into a {@code database_error}.
     */
    private static void rollback(Connection connection, Exception failure) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(byte[] bytes) {
        if (bytes.length == 0) {
            return Map.of();
        }
        Object parsed;
        try {
            parsed = JsonResponses.JSON.readValue(bytes, Object.class);
        } catch (JacksonException e) {
            throw JsonResponses.badRequest("invalid_json", "Request body is not valid JSON", null);
        } catch (IOException e) {
            throw JsonResponses.badRequest("invalid_json", "Request body could not be read", null);
        }
        if (!(parsed instanceof Map<?, ?>)) {
            throw JsonResponses.badRequest("invalid_json", "Request body must be a JSON object", null);
        }
        return (Map<String, Object>) parsed;
    }

    /** Each parameter's first value, as LiteLLM's FastAPI reads a scalar query parameter. */
    private static Map<String, String> query(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null) {
            return out;
        }
        Map<String, List<String>> parameters = new QueryStringDecoder(rawQuery, StandardCharsets.UTF_8, false)
                .parameters();
        parameters.forEach((name, values) -> out.put(name, values.get(0)));
        return out;
    }
}
