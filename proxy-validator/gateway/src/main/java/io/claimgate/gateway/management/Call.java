package io.claimgate.gateway.management;

import io.claimgate.model.AuthResult;
import io.claimgate.validator.AuthException;
import io.claimgate.gateway.MasterKeyAuthenticator;
import io.claimgate.gateway.http.JsonResponses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One management request: its JSON body, its query parameters, the admin making it, and the changes to announce once
 * the transaction has committed.
 */
final class Call {

    private final Map<String, Object> body;
    private final Map<String, String> query;
    private final AuthResult caller;
    private final List<Runnable> afterCommit = new ArrayList<>();

    Call(Map<String, Object> body, Map<String, String> query, AuthResult caller) {
        this.body = body;
        this.query = query;
        this.caller = caller;
    }

    Map<String, Object> body() {
        return body;
    }

    /** Who is recorded in {@code created_by}/{@code updated_by}. */
    String actor() {
        return caller.userId() == null ? MasterKeyAuthenticator.MASTER_KEY_USER_ID : caller.userId();
    }

    /** Runs once the change is committed, so that caches never reload the old row. */
    void onCommit(Runnable change) {
        afterCommit.add(change);
    }

    /** Announces each of these ids once the change is committed. */
    void onCommit(List<String> ids, java.util.function.Consumer<String> change) {
        ids.forEach(id -> afterCommit.add(() -> change.accept(id)));
    }

    List<Runnable> afterCommit() {
        return afterCommit;
    }

    /** A required string field of the body. */
    String requiredBody(String field) {
        Object value = body.get(field);
        if (!(value instanceof String s) || s.isBlank()) {
            throw JsonResponses.badRequest("missing_" + field, field + " is required", field);
        }
        return s;
    }

    /** A required, non-empty list of ids in the body, such as {@code team_ids}. */
    List<String> requiredIds(String field) {
        Object value = body.get(field);
        if (!(value instanceof List<?> list) || list.isEmpty()
                || !list.stream().allMatch(v -> v instanceof String s && !s.isBlank())) {
            throw JsonResponses.badRequest("missing_" + field, field + " must be a non-empty list of ids", field);
        }
        return list.stream().map(String.class::cast).distinct().toList();
    }

    /** A required query parameter. */
    String requiredQuery(String name) {
        String value = query.get(name);
        if (value == null || value.isBlank()) {
            throw JsonResponses.badRequest("missing_" + name, name + " is required as a query parameter", name);
        }
        return value;
    }

    /** An optional query parameter, or {@code null}. */
    String query(String name) {
        String value = query.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    static AuthException notFound(String what, String id) {
        return AuthException.notFound(what.toLowerCase().replace(' ', '_') + "_not_found",
                what + " not found: " + id);
    }
}
