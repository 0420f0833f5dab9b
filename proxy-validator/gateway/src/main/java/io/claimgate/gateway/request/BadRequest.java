package io.claimgate.gateway.request;

import io.claimgate.gateway.http.JsonResponses;
import io.claimgate.gateway.http.HttpError;

/**
 * The 400s this package answers. Messages name the rule that was broken and never echo more of the request than a
 * bounded model or end-user name, so an error body cannot be used to reflect a whole request back.
 */
final class BadRequest {

    private BadRequest() {
    }

    static HttpError invalidModel(String message) {
        return JsonResponses.badRequest("invalid_model", message, "model");
    }

    static HttpError conflictingModels(String first, String firstPlace, String second, String secondPlace) {
        return JsonResponses.badRequest("conflicting_models", "The request names model '" + first + "' in its "
                + firstPlace + " and '" + second + "' in its " + secondPlace + "; name one model", "model");
    }

    static HttpError invalidEndUser(String message) {
        return JsonResponses.badRequest("invalid_end_user", message, "user");
    }

    static HttpError conflictingEndUsers(String firstPlace, String secondPlace) {
        return JsonResponses.badRequest("conflicting_end_users", "The request names different end users in "
                + firstPlace + " and " + secondPlace + "; name one end user", "user");
    }

    static HttpError unsupportedField(String field, String why) {
        return JsonResponses.badRequest("unsupported_field", "'" + field + "' is not accepted by the gateway: "
                + why, field);
    }

    static HttpError invalidJson(String message) {
        return JsonResponses.badRequest("invalid_json", message, null);
    }

    static HttpError invalidForm(String message) {
        return JsonResponses.badRequest("invalid_form", message, null);
    }

    static HttpError invalidQuery(String message) {
        return JsonResponses.badRequest("invalid_query", message, null);
    }
}
