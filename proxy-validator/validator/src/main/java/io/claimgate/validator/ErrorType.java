package io.claimgate.validator;

/** The {@code type} of a LiteLLM-shaped error body; LiteLLM's {@code ProxyErrorTypes} wire values. */
public enum ErrorType {
    AUTH_ERROR("auth_error"),
    BUDGET_EXCEEDED("budget_exceeded"),
    TEAM_MODEL_ACCESS_DENIED("team_model_access_denied"),
    USER_MODEL_ACCESS_DENIED("user_model_access_denied"),
    NOT_FOUND_ERROR("not_found_error"),
    BAD_REQUEST_ERROR("bad_request_error"),
    SERVICE_UNAVAILABLE("service_unavailable"),
    /** An expired token: LiteLLM's type, which clients key on to refresh the token and retry. */
    EXPIRED_KEY("expired_key"),
    TEAM_MEMBER_ALREADY_IN_TEAM("team_member_already_in_team");

    private final String wireValue;

    ErrorType(String wireValue) {
        this.wireValue = wireValue;
    }

    public String wireValue() {
        return wireValue;
    }

    @Override
    public String toString() {
        return wireValue;
    }
}
